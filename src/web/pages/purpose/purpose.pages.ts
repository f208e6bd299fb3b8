import type { FastifyPluginAsync } from 'fastify'
import type { WebPages } from '../../web.ts'
import { translator } from '../../i18n.ts'
import { FormProblems, text, type FormBody } from '../../forms.ts'
import { rememberPurpose, safeReturnPath } from '../../session.ts'
import { isUuid } from '../../../lib/ids.ts'
import './purpose.messages.ts'

// The purpose page. Opening a record outside one's own agency (a host authority's child, a linked force's
// person, a referral to a competent authority) needs a stated purpose (DPA 2018 s62; ADR 0006). A person-scoped
// page that meets PurposeRequiredError shows this form instead (see web.ts); the purpose given is kept for
// that person for 30 minutes and goes into the audit row of every read it allows.

export const PURPOSE_MAX_LENGTH = 500

function routes(): FastifyPluginAsync {
  return async (app) => {
    app.post('/purpose', async (request, reply) => {
      const t = translator(request.language)
      const body = request.body as FormBody
      const personId = text(body, 'personId')
      const returnTo = safeReturnPath(text(body, 'returnTo'))
      const purpose = text(body, 'purpose')
      if (!isUuid(personId)) return reply.redirect('/', 303)
      const problems = new FormProblems()
      if (purpose === '') problems.add('purpose', t('purpose.required'))
      else if (purpose.length > PURPOSE_MAX_LENGTH) problems.add('purpose', t('purpose.tooLong'))
      if (!problems.empty) {
        return reply.view('web/pages/purpose/purpose.njk', { title: t('purpose.title'), personId, returnTo, values: { purpose }, errors: problems.toFormErrors() }, 400)
      }
      rememberPurpose(request, reply, personId, purpose)
      return reply.redirect(returnTo, 303)
    })
  }
}

export const purposePages: WebPages = { routes }
