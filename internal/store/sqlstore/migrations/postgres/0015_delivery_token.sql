-- The SHA-256 of the token in a member's private link to give a physical
-- reward's delivery details ('' when none is needed).
ALTER TABLE redemptions ADD COLUMN delivery_token TEXT NOT NULL DEFAULT '';
CREATE INDEX redemptions_delivery_token ON redemptions (delivery_token) WHERE delivery_token <> '';
