import { expect, test } from "@playwright/test";
import { createProject, withClient } from "./db";
import { signInAs } from "./helpers";

test("someone without access to a project gets the not-found page, with nothing of the project's page", async ({ page }) => {
  const project = await createProject({ "admin@acme.test": "admin" });
  await signInAs(page, "member@acme.test");
  const response = await page.goto(project.path);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Project users" })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Collaborators" })).toHaveCount(0);
  const html = await response!.text();
  expect(html).not.toContain(project.name);
  expect(html).toContain("Page not found");
  expect(html).not.toContain("Project users</h1>");
  expect(html).not.toContain("Invite users");
});

test("the page's header arrives first, the lists after it, while the lists cannot be read yet", async ({ page, baseURL }) => {
  const project = await createProject({ "admin@acme.test": "admin", "writer@acme.test": "read_write" });
  await signInAs(page, "admin@acme.test");
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");

  await withClient(async (client) => {
    // The activity list is read last; while this lock is held, no list can be sent. The header can.
    await client.query("begin");
    await client.query("lock table activity in access exclusive mode");
    let locked = true;
    try {
      const response = await fetch(`${baseURL}${project.path}`, { headers: { cookie } });
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = "";
      // Until the skeleton of the lists has arrived (it follows the header in the document).
      while (!text.includes('aria-busy="true"')) {
        const { done, value } = await reader.read();
        expect(done).toBe(false);
        text += decoder.decode(value, { stream: true });
      }
      const heading = text.indexOf(">Project users</h1>");
      expect(heading).toBeGreaterThan(0);
      expect(heading).toBeLessThan(text.indexOf('aria-busy="true"'));
      expect(text).toContain(project.name);
      expect(text).toContain("Invite users");
      expect(text).not.toContain("writer@acme.test");

      await client.query("commit");
      locked = false;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      expect(text.indexOf("writer@acme.test")).toBeGreaterThan(heading);
    } finally {
      if (locked) await client.query("rollback");
    }
  });
});
