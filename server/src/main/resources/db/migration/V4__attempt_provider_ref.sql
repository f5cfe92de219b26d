-- The provider's id of a sent attempt (Twilio message or call SID): its webhook finds the attempt by it, and
-- support looks the message up in the provider's console with it. SENT attempts hold no lease.
ALTER TABLE attempts ADD COLUMN provider_ref VARCHAR(64) NULL;
CREATE INDEX ix_attempts_provider_ref ON attempts (provider_ref);
