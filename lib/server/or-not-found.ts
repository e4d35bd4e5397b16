import "server-only";
import { notFound } from "next/navigation";
import { isDomainError } from "@/lib/membership/errors";

/**
 * A page's read: an expected refusal (not found, forbidden, signed out) becomes the 404 page, so
 * nobody learns whether something they may not see exists. Other errors go to the error page.
 */
export async function orNotFound<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (err) {
    if (isDomainError(err)) notFound();
    throw err;
  }
}
