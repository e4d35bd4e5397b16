ALTER TABLE "api_idempotency_keys" ADD COLUMN "content_type" text DEFAULT 'application/json' NOT NULL;--> statement-breakpoint
ALTER TABLE "api_idempotency_keys" ADD COLUMN "body_withheld" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Stored invitation links (the answers of the two /link operations, the only ones with a "url") are secrets: drop them.
UPDATE "api_idempotency_keys" SET "body" = NULL, "body_withheld" = true WHERE "body" ? 'url';--> statement-breakpoint
UPDATE "api_idempotency_keys" SET "content_type" = 'application/problem+json' WHERE "status" >= 400;--> statement-breakpoint
-- Kept answers stay replayable: jsonb's text is the same JSON, though not the bytes first sent.
ALTER TABLE "api_idempotency_keys" ALTER COLUMN "body" SET DATA TYPE text USING "body"::text;
