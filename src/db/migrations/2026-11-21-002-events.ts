import { sql, type Kysely } from 'kysely'

// Frozen in time: this migration never imports application code (see docs/adr/0003).
// Real time (issue 7): the transactional outbox, webhook subscriptions and their deliveries, alerts, tasks
// with owners, and email notifications with each user's preferences.

const domainColumns = `
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1`

const statements: string[] = [
  // ---------------------------------------------------------------- the transactional outbox
  // Written in the transaction of the change it reports. Ids and codes only, never names or addresses.
  // `audience` is who may receive it: a list of {agencyId, roles, userId}, fixed when the event is recorded.
  `CREATE TABLE outbox_event (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type text NOT NULL,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    actor_user_id uuid,
    actor_agency_id uuid,
    person_id uuid,
    episode_id uuid,
    subject_type text,
    subject_id uuid,
    audience jsonb NOT NULL,
    payload jsonb NOT NULL DEFAULT '{}'
  )`,
  `CREATE INDEX outbox_event_occurred_idx ON outbox_event (occurred_at)`,

  // ---------------------------------------------------------------- signed webhooks
  `CREATE TABLE webhook_subscription (
    id uuid PRIMARY KEY,
    agency_id uuid NOT NULL REFERENCES agency (id),
    url text NOT NULL,
    secret text NOT NULL,
    roles text[] NOT NULL,
    event_types text[] NOT NULL,
    active boolean NOT NULL DEFAULT true,
    created_by_user_id uuid REFERENCES app_user (id),
    ${domainColumns}
  )`,
  `CREATE INDEX webhook_subscription_agency_idx ON webhook_subscription (agency_id)`,
  `CREATE TABLE webhook_delivery (
    id uuid PRIMARY KEY,
    subscription_id uuid NOT NULL REFERENCES webhook_subscription (id) ON DELETE CASCADE,
    event_seq bigint NOT NULL REFERENCES outbox_event (seq) ON DELETE CASCADE,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_attempt_at timestamptz,
    last_status_code integer,
    last_error text,
    delivered_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX webhook_delivery_due_idx ON webhook_delivery (next_attempt_at) WHERE status = 'pending'`,
  `CREATE INDEX webhook_delivery_subscription_idx ON webhook_delivery (subscription_id, status, created_at)`,

  // ---------------------------------------------------------------- alerts: who must know, told at once
  `CREATE TABLE alert (
    id uuid PRIMARY KEY,
    rule text NOT NULL CHECK (rule IN ('child_matched_elsewhere', 'placed_child_missing', 'referred_child_missing', 'repeat_missing')),
    dedupe_key text NOT NULL,
    person_id uuid REFERENCES person (id) ON DELETE CASCADE,
    episode_id uuid REFERENCES missing_episode (id) ON DELETE CASCADE,
    agency_id uuid NOT NULL REFERENCES agency (id),
    roles text[] NOT NULL,
    user_id uuid REFERENCES app_user (id),
    detail jsonb NOT NULL DEFAULT '{}',
    raised_at timestamptz NOT NULL,
    acknowledged_at timestamptz,
    acknowledged_by_user_id uuid REFERENCES app_user (id),
    escalated_at timestamptz,
    escalated_to_role text,
    ${domainColumns}
  )`,
  // One open alert per rule, recipient and subject: a repeated match adds nothing until it is acknowledged.
  `CREATE UNIQUE INDEX alert_open_once_idx ON alert (dedupe_key) WHERE acknowledged_at IS NULL`,
  `CREATE INDEX alert_agency_idx ON alert (agency_id, raised_at DESC)`,
  `CREATE INDEX alert_unacknowledged_idx ON alert (raised_at) WHERE acknowledged_at IS NULL AND escalated_at IS NULL`,

  // ---------------------------------------------------------------- statutory deadlines as tasks with owners
  `CREATE TABLE task (
    id uuid PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('ukmpu_notification', 'return_home_interview', 'prevention_interview', 'risk_review', 'nrm_reasonable_grounds')),
    key text NOT NULL UNIQUE,
    person_id uuid REFERENCES person (id) ON DELETE CASCADE,
    episode_id uuid REFERENCES missing_episode (id) ON DELETE CASCADE,
    referral_id uuid REFERENCES nrm_referral (id) ON DELETE CASCADE,
    owner_agency_id uuid NOT NULL REFERENCES agency (id),
    owner_role text NOT NULL,
    owner_user_id uuid REFERENCES app_user (id),
    due_at timestamptz NOT NULL,
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
    closed_at timestamptz,
    closed_reason text,
    escalated_at timestamptz,
    escalated_to_role text,
    ${domainColumns},
    CHECK ((status = 'open') = (closed_at IS NULL))
  )`,
  `CREATE INDEX task_owner_idx ON task (owner_agency_id, status, due_at)`,
  `CREATE INDEX task_overdue_idx ON task (due_at) WHERE status = 'open' AND escalated_at IS NULL`,
  `CREATE INDEX task_episode_idx ON task (episode_id)`,

  // ---------------------------------------------------------------- email notifications
  `CREATE TABLE notification_preference (
    user_id uuid PRIMARY KEY REFERENCES app_user (id) ON DELETE CASCADE,
    email_kinds text[] NOT NULL,
    ${domainColumns}
  )`,
  // An email to send: a kind and a link, never the case itself.
  `CREATE TABLE notification (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    kind text NOT NULL,
    link_path text NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'expired')),
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz,
    last_error text,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX notification_pending_idx ON notification (next_attempt_at) WHERE status = 'pending'`,
  `CREATE INDEX notification_user_idx ON notification (user_id, created_at DESC)`,
]

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['notification', 'notification_preference', 'task', 'alert', 'webhook_delivery', 'webhook_subscription', 'outbox_event']) {
    await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(db)
  }
}
