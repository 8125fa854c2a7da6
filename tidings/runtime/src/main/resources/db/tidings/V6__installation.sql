-- This installation: the id telemetry capsules carry, and the key that pseudonymizes identifiers.
-- One row, made at the first start; tidings.analytics.pseudonym-key overrides the stored key.
CREATE TABLE installation (
    singleton      boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    id             uuid        NOT NULL,
    pseudonym_key  text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
