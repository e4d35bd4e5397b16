DROP INDEX "project_memberships_project_role_idx";--> statement-breakpoint
ALTER TABLE "project_memberships" ADD COLUMN "email" text;--> statement-breakpoint
CREATE INDEX "activity_actor_idx" ON "activity" USING btree ("actor_id");--> statement-breakpoint
CREATE INDEX "project_memberships_listing_idx" ON "project_memberships" USING btree ("project_id","role","email");--> statement-breakpoint
CREATE INDEX "users_email_prefix_idx" ON "users" USING btree ("email" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "users_name_prefix_idx" ON "users" USING btree (lower("name") text_pattern_ops);--> statement-breakpoint
UPDATE "project_memberships" AS pm SET "email" = u."email" FROM "users" AS u WHERE u."id" = pm."user_id";--> statement-breakpoint
CREATE FUNCTION "project_membership_email"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT "email" INTO NEW."email" FROM "users" WHERE "id" = NEW."user_id";
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "project_memberships_email" BEFORE INSERT OR UPDATE OF "user_id", "email" ON "project_memberships"
  FOR EACH ROW EXECUTE FUNCTION "project_membership_email"();--> statement-breakpoint
CREATE FUNCTION "user_email_to_memberships"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "project_memberships" SET "email" = NEW."email" WHERE "user_id" = NEW."id";
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "users_email_to_memberships" AFTER UPDATE OF "email" ON "users"
  FOR EACH ROW WHEN (OLD."email" IS DISTINCT FROM NEW."email") EXECUTE FUNCTION "user_email_to_memberships"();
