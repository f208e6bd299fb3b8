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

/**
 * A person's name as one line for lists: the given, family and full names in order, else the first name of any
 * kind, else '' (a child known so far only by a return's child id). The web layer shows '' as "Name not known".
 */
export function personListName(personIdColumn: string): RawBuilder<string> {
  const person = sql.ref(personIdColumn)
  return sql<string>`coalesce(
    (select string_agg(n.text, ' ' order by n.position) from person_name n
      where n.person_id = ${person} and n.kind in ('given', 'family', 'full')),
    (select n.text from person_name n where n.person_id = ${person} order by n.position limit 1),
    '')`
}
