import { defineMessages } from '../../i18n.ts'

defineMessages('purpose', {
  en: {
    title: 'Why do you need this record?',
    intro: 'This record belongs to another agency. Say why you need to see it. Your reason is kept in the audit log with every part of the record you open in the next 30 minutes.',
    label: 'Your reason',
    hint: 'For example: child found at Victoria coach station, checking whether they are reported missing',
    required: 'Enter why you need this record',
    tooLong: 'Your reason must be 500 characters or fewer',
    submit: 'Continue to the record',
  },
  cy: {
    title: 'Pam mae angen y cofnod hwn arnoch chi?',
    intro: "Mae'r cofnod hwn yn perthyn i asiantaeth arall. Dywedwch pam mae angen i chi ei weld. Caiff eich rheswm ei gadw yn y log archwilio gyda phob rhan o'r cofnod y byddwch yn ei hagor yn y 30 munud nesaf.",
    label: 'Eich rheswm',
    hint: "Er enghraifft: plentyn wedi'i ganfod yng ngorsaf fysiau Victoria, yn gwirio a yw wedi'i adrodd ar goll",
    required: 'Rhowch pam mae angen y cofnod hwn arnoch chi',
    tooLong: 'Rhaid i’ch rheswm fod yn 500 nod neu lai',
    submit: "Parhau i'r cofnod",
  },
})
