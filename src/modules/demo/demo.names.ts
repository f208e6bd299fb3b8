// Synthetic names for demo people, by nationality, with the scripts and spellings agencies meet.
// Made up from common name parts; they describe nobody.

export interface NamePool {
  nationality: string
  language: string
  given: readonly string[]
  family: readonly string[]
  /** Names as written in their own script, with a transliteration (given name only). */
  native?: readonly { text: string; script: string; transliteration: string }[]
  /** Alternative spellings another agency might record. */
  variants?: Readonly<Record<string, readonly string[]>>
}

export const NAME_POOLS: readonly NamePool[] = [
  {
    nationality: 'GBR',
    language: 'English',
    given: ['Jack', 'Callum', 'Tyler', 'Kayden', 'Leah', 'Chloe', 'Jade', 'Ellie', 'Reece', 'Amber', 'Liam', 'Mason'],
    family: ['Smith', 'Jones', 'Taylor', 'Brown', 'Walker', 'Wright', 'Evans', 'Hughes', 'Clarke', 'Price'],
  },
  {
    nationality: 'VNM',
    language: 'Vietnamese',
    given: ['Van An', 'Van Minh', 'Duc Anh', 'Quang Huy', 'Thi Lan', 'Van Long', 'Minh Tuan'],
    family: ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ'],
    variants: { 'Nguyễn': ['Nguyen', 'Nguyên', 'Ngyuen'], 'Trần': ['Tran'], 'Phạm': ['Pham'] },
  },
  {
    nationality: 'ALB',
    language: 'Albanian',
    given: ['Ardit', 'Erion', 'Klevis', 'Besnik', 'Dritan', 'Elira', 'Arbër'],
    family: ['Hoxha', 'Kola', 'Shehu', 'Leka', 'Gjoka', 'Dervishi'],
    variants: { 'Arbër': ['Arber'], 'Hoxha': ['Hodja', 'Hoxa'] },
  },
  {
    nationality: 'ERI',
    language: 'Tigrinya',
    given: ['Yonas', 'Filmon', 'Merhawi', 'Senait', 'Dawit', 'Tesfay'],
    family: ['Tesfaye', 'Gebremedhin', 'Haile', 'Kidane', 'Berhane', 'Tekle'],
    native: [
      { text: 'ዮናስ', script: 'Ethi', transliteration: 'Yonas' },
      { text: 'ዳዊት', script: 'Ethi', transliteration: 'Dawit' },
    ],
  },
  {
    nationality: 'SDN',
    language: 'Arabic',
    given: ['Mohammed', 'Ahmed', 'Omar', 'Abdelrahman', 'Yousif', 'Hamza'],
    family: ['Osman', 'Ibrahim', 'Abdalla', 'Elamin', 'Hassan', 'Adam'],
    native: [
      { text: 'محمد', script: 'Arab', transliteration: 'Muhammad' },
      { text: 'أحمد', script: 'Arab', transliteration: 'Ahmad' },
    ],
    variants: { Mohammed: ['Muhammad', 'Mohamed', 'Mohammad'], Yousif: ['Yusuf', 'Youssef'] },
  },
  {
    nationality: 'AFG',
    language: 'Pashto',
    given: ['Ahmad', 'Mohammad', 'Jawed', 'Sami', 'Naveed', 'Farid'],
    family: ['Ahmadzai', 'Sultani', 'Rahimi', 'Noori', 'Safi', 'Popal'],
    variants: { Mohammad: ['Mohammed', 'Muhammad'] },
  },
]
