/** Sentences shared by the domain and the pages (kept free of imports so client code can use them). */
export const LAST_ADMIN_MESSAGE = "You are the only Project Admin. Make another collaborator a Project Admin before you leave.";
export const LAST_OWNER_MESSAGE = "You are the only Organization Owner. Make someone else an Organization Owner before you leave.";
