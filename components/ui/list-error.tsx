/** A list that could not load says why, where the list would be. */
export function ListError({ error }: { error: Error | null }) {
  if (!error) return null;
  return (
    <p role="alert" className="mt-2 text-sm text-red-700">
      {error.message}
    </p>
  );
}
