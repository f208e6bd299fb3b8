// Every event Lantern publishes, with what it means. An event carries ids and codes only: the record behind it
// is read through the API, with its access checks and audit.

export const EVENT_TYPES = {
  'person.recorded': 'A person record was created',
  'person.updated': "A person record changed (the payload lists the fields' names)",
  'person.erased': 'A person record was erased, with everything recorded about the person',
  'episode.reported': 'A missing episode was reported: a police incident, or a local authority M (missing) or A (away) episode',
  'episode.updated': "An episode's details changed, including the UK Missing Persons Unit notification (the payload lists the fields)",
  'episode.risk_regraded': 'A risk assessment was recorded; the payload has the grade and the next review time',
  'episode.sighting_recorded': 'A sighting was recorded',
  'episode.action_changed': "An action was added to or changed in the investigation log",
  'episode.ended': 'The person was found or returned',
  'episode.reopened': 'An ended episode was reopened: the person is missing again in the same absence',
  'episode.linked': "A police incident and a local authority's record of the same absence were linked",
  'placement.recorded': 'An episode of care (a placement) was recorded',
  'placement.changed': 'An episode of care changed: a placement moved, ended or was corrected',
  'nrm.referral_made': 'A person was referred to the National Referral Mechanism',
  'nrm.referral_updated': 'An NRM referral was corrected or completed',
  'nrm.decision_recorded': 'A reasonable- or conclusive-grounds decision was recorded',
  'guardian.assigned': 'A child trafficking guardian was allocated',
  'guardian.assignment_changed': 'A guardian allocation changed or ended',
  'interview.prevention_recorded': 'A police prevention interview (safe and well check) was recorded or changed',
  'interview.return_home_recorded': 'A return home interview was recorded or changed',
  'identity.matched': 'An encounter search or a new person record matched a person with an open episode (issue 5 emits it)',
  'identity.link_confirmed': 'A person confirmed that two person records are the same human (issue 5 emits it)',
  'alert.raised': 'An alert was raised for an agency',
  'alert.acknowledged': 'An alert was acknowledged by a person',
  'alert.escalated': 'An alert was not acknowledged in time and went to the supervising role',
  'task.created': 'A statutory deadline became a task with an owner',
  'task.updated': 'A task was done, cancelled, reopened or its due time moved',
  'task.escalated': "A task became overdue and went to the owner's supervising role",
} as const

export type EventType = keyof typeof EVENT_TYPES

export const EVENT_TYPE_NAMES = Object.keys(EVENT_TYPES) as [EventType, ...EventType[]]

export function isEventType(value: string): value is EventType {
  return Object.hasOwn(EVENT_TYPES, value)
}
