/**
 * A sentence that names people by address: each address stays on one line (cut with an ellipsis
 * if it cannot fit, full text as its tooltip) while the words around it wrap normally.
 */
export function Sentence({ text }: { text: string }) {
  return (
    <>
      {text.split(/(\S+@\S+)/).map((part, i) =>
        i % 2 === 1 ? (
          <span key={i} className="inline-block max-w-full truncate align-bottom" title={part}>
            {part}
          </span>
        ) : (
          part
        ),
      )}
    </>
  );
}
