/**
 * A sentence that names people by address: each address stays on one line (cut with an ellipsis
 * if it cannot fit, full text as its tooltip), and so does a hyphenated word ("Read-Only"), while
 * the words around them wrap normally. A name the sentence isolated (`isolate()` in
 * lib/membership/sentences.ts) is shown in a `<bdi>`, so a right-to-left name cannot reorder the
 * sentence.
 */
export function Sentence({ text }: { text: string }) {
  return (
    <>
      {text.split(/\u2068([^\u2069]*)\u2069/).map((part, n) =>
        // An isolated name keeps its hyphenated words whole too (a SCIM group "search-admins", issue 20).
        n % 2 === 1 ? (
          <bdi key={n}>
            <Words text={part} />
          </bdi>
        ) : (
          <Words key={n} text={part} />
        ),
      )}
    </>
  );
}

function Words({ text }: { text: string }) {
  return (
    <>
      {text.split(/(\S+@\S+|\S+-\S+)/).map((part, i) =>
        i % 2 === 0 ? (
          part
        ) : part.includes("@") ? (
          <span key={i} className="address" title={part}>
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
