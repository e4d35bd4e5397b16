CREATE TABLE "scim_group_members" (
	"group_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	CONSTRAINT "scim_group_members_group_id_user_id_pk" PRIMARY KEY("group_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "scim_group_project_roles" (
	"group_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"role" "project_role" NOT NULL,
	CONSTRAINT "scim_group_project_roles_group_id_project_id_pk" PRIMARY KEY("group_id","project_id")
);
--> statement-breakpoint
CREATE TABLE "scim_groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"display_name" text NOT NULL,
	"external_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scim_groups_id_org_uq" UNIQUE("id","org_id")
);
--> statement-breakpoint
CREATE TABLE "scim_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_by_id" text,
	"created_by_email" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "scim_users" (
	"org_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"external_id" text,
	"user_name" text NOT NULL,
	"email" text,
	"given_name" text,
	"family_name" text,
	"display_name" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scim_users_org_id_user_id_pk" PRIMARY KEY("org_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "activity" ADD COLUMN "actor_scim_token_id" uuid;--> statement-breakpoint
ALTER TABLE "project_memberships" ADD COLUMN "direct_role" "project_role";--> statement-breakpoint
ALTER TABLE "project_memberships" ADD COLUMN "group_role" "project_role";--> statement-breakpoint
ALTER TABLE "scim_group_members" ADD CONSTRAINT "scim_group_members_group_fk" FOREIGN KEY ("group_id","org_id") REFERENCES "public"."scim_groups"("id","org_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scim_group_members" ADD CONSTRAINT "scim_group_members_user_fk" FOREIGN KEY ("org_id","user_id") REFERENCES "public"."scim_users"("org_id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scim_group_project_roles" ADD CONSTRAINT "scim_group_project_roles_group_fk" FOREIGN KEY ("group_id","org_id") REFERENCES "public"."scim_groups"("id","org_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scim_group_project_roles" ADD CONSTRAINT "scim_group_project_roles_project_fk" FOREIGN KEY ("project_id","org_id") REFERENCES "public"."projects"("id","org_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scim_groups" ADD CONSTRAINT "scim_groups_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scim_tokens" ADD CONSTRAINT "scim_tokens_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scim_tokens" ADD CONSTRAINT "scim_tokens_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scim_users" ADD CONSTRAINT "scim_users_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scim_users" ADD CONSTRAINT "scim_users_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "scim_group_members_user_idx" ON "scim_group_members" USING btree ("org_id","user_id");--> statement-breakpoint
CREATE INDEX "scim_group_project_roles_project_idx" ON "scim_group_project_roles" USING btree ("project_id");--> statement-breakpoint
CREATE UNIQUE INDEX "scim_groups_org_display_name_uq" ON "scim_groups" USING btree ("org_id",lower("display_name"));--> statement-breakpoint
CREATE INDEX "scim_groups_org_external_idx" ON "scim_groups" USING btree ("org_id","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "scim_tokens_token_hash_uq" ON "scim_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "scim_tokens_org_idx" ON "scim_tokens" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "scim_users_org_user_name_uq" ON "scim_users" USING btree ("org_id",lower("user_name"));--> statement-breakpoint
CREATE INDEX "scim_users_org_external_idx" ON "scim_users" USING btree ("org_id","external_id");--> statement-breakpoint
CREATE INDEX "scim_users_org_email_idx" ON "scim_users" USING btree ("org_id",lower("email"));--> statement-breakpoint
-- Every membership so far was granted directly (console, invitation, SSO default grants).
UPDATE "project_memberships" SET "direct_role" = "role";--> statement-breakpoint
-- Without a group role the role is the direct role: writers that know nothing of groups (change
-- role, invitations, SSO, seeds) keep direct_role right without naming it. With a group role the
-- app sets role = the higher of the two (issue 20, docs/product-rules.md "SCIM provisioning").
CREATE FUNCTION "project_membership_direct_role"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."group_role" IS NULL THEN
    NEW."direct_role" := NEW."role";
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "project_memberships_direct_role" BEFORE INSERT OR UPDATE OF "role", "direct_role", "group_role" ON "project_memberships"
  FOR EACH ROW EXECUTE FUNCTION "project_membership_direct_role"();--> statement-breakpoint
ALTER TABLE "project_memberships" ADD CONSTRAINT "project_memberships_has_source_ck" CHECK ("project_memberships"."direct_role" is not null or "project_memberships"."group_role" is not null);