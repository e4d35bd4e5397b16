/** What a value looks like after a JSON round trip (dates become strings). */
export type Json<T> = T extends Date ? string : T extends (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;

/** Dates become strings exactly as the list route sends them, so first render and refetch agree. */
export const asJson = <T>(value: T) => JSON.parse(JSON.stringify(value)) as Json<T>;
