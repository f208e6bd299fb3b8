// Hand-made SSDA903 returns for tests: a small valid return for 2024/25, which each test changes to break
// exactly the rule it is about. Fake children, fake identifiers.
import { toCsv } from '../../../lib/csv.ts'
import type { IncomingFile } from '../files.ts'
import { IMPORTED_TABLES, type ImportedTable } from './ssda903.tables.ts'

export type Rows = Record<string, string>[]
export type Return = Record<ImportedTable, Rows>

export const YEAR = 2025

export function validReturn(): Return {
  return {
    Header: [
      { CHILD: 'C1', SEX: 'M', DOB: '14/03/2009', ETHNIC: 'WBRI', UPN: 'A123456789012', MOTHER: '', MC_DOB: '' },
      { CHILD: 'C2', SEX: 'F', DOB: '02/07/2008', ETHNIC: 'BAFR', UPN: 'UN2', MOTHER: '', MC_DOB: '' },
    ],
    Episodes: [
      { CHILD: 'C1', DECOM: '01/05/2023', RNE: 'S', LS: 'C2', CIN: 'N1', PLACE: 'U4', PLACE_PROVIDER: 'PR4', DEC: '10/06/2024', REC: 'X1', REASON_PLACE_CHANGE: '', HOME_POST: 'ME14 1XQ', PL_POST: 'M1 1AE', URN: 'SC123456' },
      { CHILD: 'C1', DECOM: '10/06/2024', RNE: 'P', LS: 'C2', CIN: 'N1', PLACE: 'K2', PLACE_PROVIDER: 'PR4', DEC: '', REC: '', REASON_PLACE_CHANGE: 'CARPL', HOME_POST: 'ME14 1XQ', PL_POST: 'TN1 1AA', URN: 'SC654321' },
      { CHILD: 'C2', DECOM: '15/09/2024', RNE: 'S', LS: 'V2', CIN: 'N4', PLACE: 'U6', PLACE_PROVIDER: 'PR1', DEC: '', REC: '', REASON_PLACE_CHANGE: '', HOME_POST: '', PL_POST: '', URN: '' },
    ],
    Missing: [
      { CHILD: 'C1', DOB: '14/03/2009', MISSING: 'A', MIS_START: '01/07/2024', MIS_END: '03/07/2024' },
      { CHILD: 'C1', DOB: '14/03/2009', MISSING: 'M', MIS_START: '03/07/2024', MIS_END: '10/07/2024' },
      { CHILD: 'C2', DOB: '02/07/2008', MISSING: 'M', MIS_START: '01/02/2025', MIS_END: '' },
    ],
    UASC: [{ CHILD: 'C2', SEX: 'F', DOB: '02/07/2008', DUC: '02/07/2026' }],
  }
}

export const FILE_NAMES: Record<ImportedTable, string> = { Header: 'header.csv', Episodes: 'episodes.csv', Missing: 'missing.csv', UASC: 'uasc.csv' }

/** The return as CSV files, one per table, with DfE's columns in DfE's order. */
export function csvFiles(tables: Partial<Return>): IncomingFile[] {
  return (Object.keys(tables) as ImportedTable[]).map((table) => {
    const columns = IMPORTED_TABLES[table]
    const rows = tables[table] ?? []
    return { name: FILE_NAMES[table], bytes: Buffer.from(toCsv([[...columns], ...rows.map((row) => columns.map((column) => row[column] ?? ''))])) }
  })
}

/** The same return as one XML file (<EXPSSDA903>), as DfE's XML layout has it. */
export function xmlFile(tables: Return): IncomingFile {
  const element = (name: string, value: string | undefined) => (value ? `<${name}>${value}</${name}>` : `<${name} />`)
  const uascOf = new Map(tables.UASC.map((row) => [row.CHILD, row]))
  const children = tables.Header.map((header) => {
    const uasc = uascOf.get(header.CHILD)
    const missing = tables.Missing.filter((row) => row.CHILD === header.CHILD)
      .map((row) => `<AMISSING>${element('MISSING', row.MISSING)}${element('MIS_START', row.MIS_START)}${element('MIS_END', row.MIS_END)}</AMISSING>`)
      .join('')
    const episodes = tables.Episodes.filter((row) => row.CHILD === header.CHILD)
      .map(
        (row) =>
          `<EPISODE>${element('DECOM', row.DECOM)}${element('RNE', row.RNE)}${element('LS', row.LS)}${element('CIN', row.CIN)}${element('PL', row.PLACE)}` +
          `${element('PL_POST', row.PL_POST)}${element('HOME_POST', row.HOME_POST)}${element('URN', row.URN)}${element('PLACE_PROVIDER', row.PLACE_PROVIDER)}` +
          `${element('DEC', row.DEC)}${element('REC', row.REC)}${element('REASON_PLACE_CHANGE', row.REASON_PLACE_CHANGE)}</EPISODE>`,
      )
      .join('\n')
    return (
      `<CHILD>\n<HEADER>${element('CHILDID', header.CHILD)}${element('UPN', header.UPN)}${element('SEX', header.SEX)}${element('DOB', header.DOB)}` +
      `${element('ETHNIC', header.ETHNIC)}${element('UASC', uasc ? '1' : '0')}${uasc?.DUC ? element('DUC', uasc.DUC) : ''}${missing}` +
      `<AREVIEW><REVIEW>01/01/2025</REVIEW><REVIEW_CODE>PN1</REVIEW_CODE></AREVIEW>${element('MOTHER', header.MOTHER)}${element('MC_DOB', header.MC_DOB)}</HEADER>\n${episodes}\n</CHILD>`
    )
  })
  return { name: 'return.xml', bytes: Buffer.from(`<?xml version='1.0' encoding='utf-8'?>\n<EXPSSDA903>\n${children.join('\n')}\n</EXPSSDA903>\n`) }
}
