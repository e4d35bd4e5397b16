/**
 * A sentence that names people by address: each address stays on one line (cut with an ellipsis
 * if it cannot fit, full text as its tooltip), and so does a hyphenated word ("Read-Only"), while
 * the words around them wrap normally. A name the sentence isolated (`isolate()` in
 * lib/membership/sentences.ts) is shown in a `<bdi>`, so a right-to-left name cannot reorder the
 * sentence. `titlesInBrowser`: the addresses' tooltips are left to useFullTextTitles (a list of many rows).
 */
export function Sentence({ text, titlesInBrowser = false }: { text: string; titlesInBrowser?: boolean }) {
  return (
    <>
      {text.split(/\u2068([^\u2069]*)\u2069/).map((part, n) =>
        // An isolated name keeps its hyphenated words whole too (a SCIM group "search-admins", issue 20).
        n % 2 === 1 ? (
          <bdi key={n}>
            <Words text={part} titled={!titlesInBrowser} />
          </bdi>
        ) : (
          <Words key={n} text={part} titled={!titlesInBrowser} />
        ),
      )}
    </>
  );
}

function Words({ text, titled }: { text: string; titled: boolean }) {
  return (
    <>
      {text.split(/(\S+@\S+|\S+-\S+)/).map((part, i) =>
        i % 2 === 0 ? (
          part
        ) : part.includes("@") ? (
          <span key={i} className="address" title={titled ? part : undefined}>
            {part}
          </span>
        ) : (
          <span key={i} className="nowrap">
            {part}
          </span>
        ),
      )}
    </>
  );
}
