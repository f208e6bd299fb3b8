import path from 'node:path'
import { randomBytes } from 'node:crypto'
import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import formbody from '@fastify/formbody'
import cookie from '@fastify/cookie'
import csrf from '@fastify/csrf-protection'
import fastifyStatic from '@fastify/static'
import type { Services } from '../services.ts'
import { DomainError, ForbiddenError, NotFoundError, StaleVersionError, ConflictError } from '../lib/errors.ts'
import { PurposeRequiredError } from '../modules/access/access.service.ts'
import { TtlCache } from '../lib/ttl-cache.ts'
import { isLanguage, translator, type Language } from './i18n.ts'
import { formatters } from './format.ts'
import { navigationFor, type NavItem } from './navigation.ts'
import { createViewEnvironment, GOVUK_FRONTEND_DIR, MOJ_FRONTEND_DIR } from './views.ts'
import { clearSessionCookie, cookieOptions, LANGUAGE_COOKIE, safeReturnPath, SESSION_COOKIE } from './session.ts'
import './messages.ts'
import { signInPages } from './pages/sign-in/sign-in.pages.ts'
import { homePages } from './pages/home/home.pages.ts'
import { identityPages } from '../modules/identity/identity.pages.ts'
import { purposePages } from './pages/purpose/purpose.pages.ts'
import { reportPages } from './pages/report/report.pages.ts'
import { peoplePages } from './pages/people/people.pages.ts'
import { personDetailsPages } from './pages/people/person-details.pages.ts'
import { episodePages } from './pages/episodes/episode.pages.ts'
import { registerPages } from './pages/register/register.pages.ts'
import { auditPages } from './pages/audit/audit.pages.ts'
import { profilePages } from './pages/profiles/profile.pages.ts'
import { statisticsPages } from '../modules/statistics/statistics.pages.ts'
import { placementPages } from './pages/placements/placements.pages.ts'
import { nrmPages } from './pages/nrm/nrm.pages.ts'
import { guardianPages } from './pages/guardians/guardians.pages.ts'
import { interchangePages } from '../modules/interchange/interchange.pages.ts'
import { alertPages } from './pages/alerts/alerts.pages.ts'
import { taskPages } from './pages/tasks/tasks.pages.ts'
import { preferencesPages } from './pages/preferences/preferences.pages.ts'
import { livePages } from './pages/live/live.pages.ts'

// The web layer: server-rendered GOV.UK Frontend pages for caseworkers, on the same services as the API, so the
// same access checks and audit apply. Every page works without JavaScript; forms carry a CSRF token; every
// response carries a content security policy with a per-request nonce. See src/web/README.md.

declare module 'fastify' {
  interface FastifyRequest {
    cspNonce: string
    language: Language
    /** The signed-in user's name and agency, for the header. */
    webUser: { name: string; agency: string } | null
    /** Whether the request carried a session cookie the server no longer accepts. */
    sessionExpired: boolean
  }
  interface FastifyReply {
    /** Renders a template (a path from src/) inside the layout and sends it as HTML. */
    view: (template: string, context?: Record<string, unknown>, status?: number) => FastifyReply
  }
}

/** A group of pages: its routes, and the navigation links it adds (shown by role). */
export interface WebPages {
  routes: (services: Services) => FastifyPluginAsync
  navigation?: readonly NavItem[]
}

/**
 * Every page group, in navigation order. To add pages, write a `WebPages` in your page folder and add it here
 * (one import, one line). See src/web/README.md.
 */
const PAGES: readonly WebPages[] = [
  signInPages,
  homePages,
  alertPages,
  taskPages,
  reportPages,
  peoplePages,
  personDetailsPages,
  episodePages,
  registerPages,
  auditPages,
  profilePages,
  placementPages,
  nrmPages,
  guardianPages,
  purposePages,
  statisticsPages,
  identityPages,
  interchangePages,
  preferencesPages,
  livePages,
]

const NAVIGATION: readonly NavItem[] = PAGES.flatMap((pages) => pages.navigation ?? [])

export interface WebOptions {
  /** Cache compiled templates (off in development so template edits show at once). */
  cacheTemplates: boolean
}

export function webLayer(services: Services, options: WebOptions): FastifyPluginAsync {
  return async (web) => {
    // Static assets first, in their own context: no session, CSRF or page hooks run for them.
    await web.register(registerAssets)
    await web.register(pagesContext(services, options))
  }
}

function pagesContext(services: Services, options: WebOptions): FastifyPluginAsync {
  return async (app) => {
    const env = createViewEnvironment({ cache: options.cacheTemplates })
    const whoCache = new TtlCache<{ name: string; agency: string }>(60_000, 10_000)

    await app.register(cookie)
    await app.register(formbody, { bodyLimit: 256 * 1024 })
    await app.register(csrf, {
      cookieKey: 'lantern_csrf',
      cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: 'auto' },
      getToken: (request) => (request.body as Record<string, unknown> | undefined)?._csrf as string | undefined,
    })

    app.decorateRequest('cspNonce', '')
    app.decorateRequest('language', 'en')
    app.decorateRequest('webUser', null)
    app.decorateRequest('sessionExpired', false)

    app.addHook('onRequest', async (request) => {
      request.cspNonce = randomBytes(16).toString('base64')
      const language = request.cookies[LANGUAGE_COOKIE]
      request.language = isLanguage(language) ? language : 'en'
      const token = request.cookies[SESSION_COOKIE]
      if (!token) return
      const actor = await services.users.authenticate(token, null)
      if (!actor || actor.kind !== 'user' || !actor.userId) {
        request.sessionExpired = true
        return
      }
      request.actor = actor
      const userId = actor.userId
      let who = whoCache.get(userId)
      if (!who) {
        const me = await services.users.me(actor)
        who = { name: me.displayName, agency: me.agencyName }
        whoCache.set(userId, who)
      }
      request.webUser = who
    })

    // Pages need a signed-in user unless their route says `config: { public: true }`.
    app.addHook('preHandler', async (request, reply) => {
      if (request.routeOptions.config.public || request.actor) return
      const returnTo = encodeURIComponent(request.method === 'GET' ? request.url : '/')
      if (request.sessionExpired) {
        clearSessionCookie(request, reply)
        return reply.redirect(`/session-expired?returnTo=${returnTo}`, 303)
      }
      return reply.redirect(`/sign-in?returnTo=${returnTo}`, 303)
    })

    // Every form carries the CSRF token (the `_csrf` field).
    app.addHook('preHandler', (request, reply, done) => {
      if (request.method !== 'POST') return done()
      app.csrfProtection(request, reply, done)
    })

    app.addHook('onSend', async (request, reply, payload) => {
      const type = String(reply.getHeader('content-type') ?? '')
      if (type.startsWith('text/html')) {
        reply.header(
          'content-security-policy',
          [
            "default-src 'self'",
            `script-src 'self' 'nonce-${request.cspNonce}'`,
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
          ].join('; '),
        )
        // Pages hold personal data: never cached, never framed, never sent as a referrer.
        reply.header('cache-control', 'no-store')
        reply.header('x-frame-options', 'DENY')
        reply.header('referrer-policy', 'no-referrer')
        reply.header('x-content-type-options', 'nosniff')
      }
      return payload
    })

    app.decorateReply('view', function view(this: FastifyReply, template: string, context: Record<string, unknown> = {}, status = 200) {
      const request = this.request
      const t = translator(request.language)
      const currentPath = request.url.split('?')[0] ?? '/'
      const returnTo = encodeURIComponent(request.method === 'GET' ? request.url : currentPath)
      const html = env.render(template, {
        t,
        fmt: formatters(request.language),
        lang: request.language,
        cspNonce: request.cspNonce,
        csrfToken: this.generateCsrf(),
        user: request.webUser,
        currentPath,
        navigation: navigationFor(NAVIGATION, request.actor, currentPath, t),
        languages: [
          { text: 'English', lang: 'en', href: `/language?lang=en&returnTo=${returnTo}`, current: request.language === 'en' },
          { text: 'Cymraeg', lang: 'cy', href: `/language?lang=cy&returnTo=${returnTo}`, current: request.language === 'cy' },
        ],
        scripts: [],
        ...context,
      })
      return this.code(status).type('text/html; charset=utf-8').send(html)
    })

    app.setErrorHandler((error: FastifyError | Error, request, reply) => renderError(error, request, reply))

    // The language switch: remembered for a year, then back to the page.
    app.get('/language', { config: { public: true } }, async (request, reply) => {
      const query = request.query as Record<string, unknown>
      const language = isLanguage(query.lang) ? query.lang : 'en'
      reply.setCookie(LANGUAGE_COOKIE, language, cookieOptions(request, { maxAge: 365 * 24 * 3600 }))
      return reply.redirect(safeReturnPath(query.returnTo), 303)
    })

    for (const pages of PAGES) await app.register(pages.routes(services))

    // Any other page address: a 404 page (the API keeps its problem+json answers).
    app.get('/*', { config: { public: true } }, async (request, reply) => {
      if (request.url.startsWith('/api/')) return reply.callNotFound()
      return reply.view('web/views/error.njk', { title: translator(request.language)('errors.notFoundTitle'), body: translator(request.language)('errors.notFoundBody') }, 404)
    })
  }
}

function renderError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  const t = translator(request.language)
  const code = 'code' in error ? error.code : undefined
  if (code === 'FST_CSRF_INVALID_TOKEN' || code === 'FST_CSRF_MISSING_SECRET') {
    return reply.view('web/views/error.njk', { title: t('errors.csrfTitle'), body: t('errors.csrfBody') }, 403)
  }
  if (error instanceof PurposeRequiredError) {
    const personId = (request.params as Record<string, string | undefined>).personId
    if (personId) {
      return reply.view('web/pages/purpose/purpose.njk', {
        title: t('purpose.title'),
        personId,
        returnTo: request.method === 'GET' ? request.url : `/people/${personId}`,
        values: {},
      }, 403)
    }
  }
  if (error instanceof NotFoundError) {
    return reply.view('web/views/error.njk', { title: t('errors.notFoundTitle'), body: t('errors.notFoundBody') }, 404)
  }
  if (error instanceof StaleVersionError || error instanceof ConflictError) {
    return reply.view('web/views/error.njk', { title: t('errors.conflictTitle'), body: t('errors.conflictBody', { reason: error.message }), back: true }, 409)
  }
  if (error instanceof ForbiddenError || (error instanceof DomainError && error.status === 403)) {
    return reply.view('web/views/error.njk', { title: t('errors.forbiddenTitle'), body: t('errors.forbiddenBody', { reason: error.message }) }, 403)
  }
  if (error instanceof DomainError && error.status === 401) {
    return reply.redirect('/sign-in', 303)
  }
  const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500
  if (status < 500) {
    return reply.view('web/views/error.njk', { title: t('errors.notFoundTitle'), body: error.message }, status)
  }
  request.log.error({ err: error }, 'page failed')
  return reply.view('web/views/error.njk', { title: t('errors.serverTitle'), body: t('errors.serverBody', { requestId: request.id }) }, 500)
}

async function registerAssets(app: FastifyInstance) {
  const onlyAssets = (file: string) => /\.(css|js|mjs|map|woff2?|png|svg|ico|json)$/.test(file)
  const common = { maxAge: '1d', allowedPath: (pathName: string) => onlyAssets(pathName), index: false as const, list: false as const }
  // GOV.UK Frontend's compiled CSS refers to /assets/fonts and /assets/images.
  await app.register(fastifyStatic, { root: path.join(GOVUK_FRONTEND_DIR, 'dist/govuk/assets'), prefix: '/assets/', decorateReply: false, ...common })
  await app.register(fastifyStatic, { root: path.join(GOVUK_FRONTEND_DIR, 'dist/govuk'), prefix: '/assets/govuk/', decorateReply: false, ...common })
  await app.register(fastifyStatic, { root: path.join(MOJ_FRONTEND_DIR, 'moj'), prefix: '/assets/moj/', decorateReply: false, ...common })
  await app.register(fastifyStatic, { root: path.join(import.meta.dirname, 'assets'), prefix: '/assets/lantern/', decorateReply: false, ...common })
}
