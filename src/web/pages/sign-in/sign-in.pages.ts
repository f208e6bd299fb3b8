import type { FastifyPluginAsync } from 'fastify'
import type { Services } from '../../../services.ts'
import { UnauthenticatedError } from '../../../lib/errors.ts'
import type { WebPages } from '../../web.ts'
import { translator } from '../../i18n.ts'
import { FormProblems, text, type FormBody } from '../../forms.ts'
import { clearSessionCookie, safeReturnPath, SESSION_COOKIE, setSessionCookie } from '../../session.ts'
import './sign-in.messages.ts'

// Sign in, sign out, and the page that says a session has expired. Sessions are the users module's.

const TEMPLATE = 'web/pages/sign-in/sign-in.njk'
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/

function routes(services: Services): FastifyPluginAsync {
  return async (app) => {
    app.get('/sign-in', { config: { public: true } }, async (request, reply) => {
      const returnTo = safeReturnPath((request.query as Record<string, unknown>).returnTo)
      if (request.actor) return reply.redirect(returnTo, 303)
      return reply.view(TEMPLATE, { title: translator(request.language)('signIn.title'), values: {}, returnTo })
    })

    app.post('/sign-in', { config: { public: true } }, async (request, reply) => {
      const t = translator(request.language)
      const body = request.body as FormBody
      const email = text(body, 'email')
      const password = typeof body.password === 'string' ? body.password : ''
      const returnTo = safeReturnPath(text(body, 'returnTo'))
      const problems = new FormProblems()
      if (email === '') problems.add('email', t('signIn.emailRequired'))
      else if (!EMAIL.test(email)) problems.add('email', t('signIn.emailFormat'))
      if (password === '') problems.add('password', t('signIn.passwordRequired'))
      if (problems.empty) {
        try {
          const session = await services.users.signIn(email, password)
          setSessionCookie(request, reply, session.token)
          return reply.redirect(returnTo, 303)
        } catch (error) {
          if (!(error instanceof UnauthenticatedError)) throw error
          problems.add('email', t('signIn.wrong'))
        }
      }
      // The password is never sent back to the page.
      return reply.view(TEMPLATE, { title: t('signIn.title'), values: { email }, returnTo, errors: problems.toFormErrors() }, 400)
    })

    app.post('/sign-out', async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE]
      if (token) await services.users.signOut(token)
      clearSessionCookie(request, reply)
      return reply.redirect('/signed-out', 303)
    })

    app.get('/signed-out', { config: { public: true } }, async (request, reply) => {
      const t = translator(request.language)
      return reply.view('web/pages/sign-in/signed-out.njk', { title: t('signIn.signedOutTitle'), body: t('signIn.signedOutBody'), returnTo: '/' })
    })

    app.get('/session-expired', { config: { public: true } }, async (request, reply) => {
      const t = translator(request.language)
      const returnTo = safeReturnPath((request.query as Record<string, unknown>).returnTo)
      return reply.view('web/pages/sign-in/signed-out.njk', { title: t('signIn.expiredTitle'), body: t('signIn.expiredBody'), returnTo }, 401)
    })
  }
}

export const signInPages: WebPages = { routes }
