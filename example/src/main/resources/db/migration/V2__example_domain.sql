-- The demonstration domain: projects, their jobs, and the jobs' pipeline runs.
-- It stands for the user's own application; the framework tables above know nothing of it.

CREATE TABLE projects (
    id          uuid PRIMARY KEY,
    name        text        NOT NULL,
    description text,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

CREATE TABLE jobs (
    id         uuid PRIMARY KEY,
    project_id uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name       text        NOT NULL,
    status     text        NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX jobs_project_idx ON jobs (project_id);

CREATE TABLE pipeline_runs (
    id          uuid PRIMARY KEY,
    job_id      uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    number      integer     NOT NULL,
    status      text        NOT NULL,
    steps_count integer     NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    UNIQUE (job_id, number)
);

-- The layers of the event hierarchy: ProjectEvent -> JobEvent -> PipelineRunEvent.
-- Each event row keeps a snapshot of what it describes, so it never changes after the fact.
ALTER TABLE events
    ADD COLUMN project_id          uuid,
    ADD COLUMN project_name        text,
    ADD COLUMN project_description text,
    ADD COLUMN job_id              uuid,
    ADD COLUMN job_name            text,
    ADD COLUMN job_status          text,
    ADD COLUMN run_id              uuid,
    ADD COLUMN run_number          integer,
    ADD COLUMN run_status          text,
    ADD COLUMN run_steps_count     integer;

INSERT INTO event_types (name, description, telemetry_allowed) VALUES
    ('project:created', 'A project was created.', true),
    ('project:updated', 'A project''s name or description changed.', true),
    ('project:deleted', 'A project and everything in it was deleted.', true),
    ('project:job:created', 'A job was added to a project.', true),
    ('project:job:started', 'A job started.', true),
    ('project:job:succeeded', 'A job finished successfully.', true),
    ('project:job:failed', 'A job failed.', true),
    ('project:job:cancelled', 'A job was cancelled.', true),
    ('project:job:pipeline_run:created', 'A pipeline run of a job was created.', true),
    ('project:job:pipeline_run:started', 'A pipeline run started.', true),
    ('project:job:pipeline_run:succeeded', 'A pipeline run finished successfully.', true),
    ('project:job:pipeline_run:failed', 'A pipeline run failed.', true),
    ('project:job:pipeline_run:cancelled', 'A pipeline run was cancelled.', true);
