-- Secret rotation: the replaced key keeps signing until previous_secret_until (the grace
-- period), so a receiver can switch keys at any moment within it.
ALTER TABLE endpoints ADD COLUMN previous_secret text;
ALTER TABLE endpoints ADD COLUMN previous_secret_until timestamptz;
ALTER TABLE endpoints ADD CONSTRAINT endpoints_previous_secret_with_end
    CHECK ((previous_secret IS NULL) = (previous_secret_until IS NULL));

-- Custom headers sent with every delivery: a JSON object of name to value; NULL: none.
ALTER TABLE endpoints ADD COLUMN headers jsonb;

-- A deleted endpoint stays as a row (disabled, invisible to the API) so that its jobs,
-- attempts and dead letters keep the endpoint they were for.
ALTER TABLE endpoints ADD COLUMN deleted_at timestamptz;
