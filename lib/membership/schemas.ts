import { z } from "zod";
import { emailProblem, normalizeEmail } from "./email-list";
import { PROJECT_ROLES } from "./roles";

export const ZProjectRole = z.enum(PROJECT_ROLES, { message: "Choose Project Admin, Project Read-Write or Project Read-Only" });

export const ZEmail = z
  .string({ message: "Enter your email address" })
  .max(1000, "That address is too long")
  .transform(normalizeEmail)
  .refine((e) => emailProblem(e) === null, { message: "Enter a valid email address, like name@example.com" });
