import { sql, type RawBuilder } from 'kysely'

export interface NameJson {
  kind: string
  text: string
  script: string
  transliteration: string | null
}

/** A person's names, in order, as a JSON array: shared by every query that shows who someone is. */
export function personNamesJson(personIdColumn: string): RawBuilder<NameJson[]> {
  return sql<NameJson[]>`coalesce((
    select json_agg(json_build_object('kind', n.kind, 'text', n.text, 'script', n.script, 'transliteration', n.transliteration) order by n.position)
    from person_name n where n.person_id = ${sql.ref(personIdColumn)}), '[]'::json)`
}
