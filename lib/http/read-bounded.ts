/**
 * Reads a body to its end as UTF-8 text, refusing it as soon as it passes `limit` bytes (a
 * Content-Length may lie or be absent): the rest is cancelled, never read, and `tooLarge()` thrown.
 */
export async function readBounded(reader: ReadableStreamDefaultReader<Uint8Array>, limit: number, tooLarge: () => Error): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
