import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import multipart from '@fastify/multipart'
import type { Services } from '../../../services.ts'
import type { Actor } from '../../../modules/access/actor.ts'
import { ForbiddenError, NotFoundError, ValidationError } from '../../../lib/errors.ts'
import { isUuid } from '../../../lib/ids.ts'
import { DOB_SOURCES, NAME_KINDS, PHOTO_CONTENT_TYPES, SEXES } from '../../../modules/people/people.schemas.ts'
import { MAX_PHOTO_BYTES, type Person } from '../../../modules/people/people.service.ts'
import type { WebPages } from '../../web.ts'
import { translator } from '../../i18n.ts'
import { personName } from '../../format.ts'
import { dateInput, fromServiceErrors, FormProblems, isVersion, optionalText, text, type FormBody } from '../../forms.ts'
import { actorForPerson } from '../../session.ts'
import { paths } from '../../paths.ts'
import { anchorOf, changesOf, fieldOfServicePath, nameRowsOf, readPersonDetails, valuesOf } from './person-details.form.ts'
import './people.messages.ts'
import './person-details.messages.ts'
import '../report/report.messages.ts'

// Changing a person's details and adding a photo, from the person page: the people service's update and addPhoto,
// so its access (the owning agency only), rules, version check and audit apply as they do to PATCH /people/:id and
// POST /people/:id/photos. A stale version is the layout's "This record has changed" page (409).

const VIEWS = 'web/pages/people'
const CODES = { nameKinds: NAME_KINDS, sexes: SEXES, dobSources: DOB_SOURCES }

interface PhotoUpload {
  bytes: Buffer
  contentType: string
  /** More than MAX_PHOTO_BYTES were sent: only that many were kept. */
  tooLarge: boolean
}

declare module 'fastify' {
  interface FastifyRequest {
    photoUpload: PhotoUpload | null
  }
}

function personIdOf(request: FastifyRequest): string {
  const { personId } = request.params as { personId: string }
  if (!isUuid(personId)) throw new NotFoundError('Person')
  return personId
}

/**
 * The person as this reader may see them, refused (403, the service's words) unless their agency recorded them:
 * only the owning agency changes a record (`requirePersonWrite`). A stranger gets 404 from the read itself.
 */
async function ownPerson(services: Services, actor: Actor, personId: string): Promise<Person> {
  const person = await services.people.get(actor, personId)
  if (person.access !== 'owner') throw new ForbiddenError('Only the agency that recorded this person can change it')
  return person
}

const identityOf = (person: Person) => ({ name: personName(person.names), dob: null, href: paths.person(person.id) })

function routes(services: Services): FastifyPluginAsync {
  return async (app) => {
    // The photo form is multipart: its fields become the body (so the CSRF check finds `_csrf`); the file is kept
    // aside, cut off one byte past the limit so an oversized file is answered with a field error, not a 413.
    app.decorateRequest('photoUpload', null)
    await app.register(multipart, {
      attachFieldsToBody: 'keyValues',
      throwFileSizeLimit: false,
      limits: { fileSize: MAX_PHOTO_BYTES, files: 1, fields: 10, fieldSize: 10_000 },
      async onFile(this: FastifyRequest, part) {
        const bytes = await part.toBuffer()
        if (part.fieldname === 'photo' && part.filename) this.photoUpload = { bytes, contentType: part.mimetype, tooLarge: part.file.truncated }
        ;(part as unknown as { value: unknown }).value = ''
      },
    })

    // ---------------------------------------------------------------- personal details

    app.get('/people/:personId/edit', async (request, reply) => {
      const personId = personIdOf(request)
      const person = await ownPerson(services, actorForPerson(request, personId), personId)
      const { values, nameRows } = valuesOf(person)
      return reply.view(`${VIEWS}/person-details.njk`, {
        title: translator(request.language)('personEdit.title'), identity: identityOf(person), action: `/people/${personId}/edit`,
        values, nameRows, version: person.version, codes: CODES,
      })
    })

    app.post('/people/:personId/edit', async (request, reply) => {
      const personId = personIdOf(request)
      const actor = actorForPerson(request, personId)
      const t = translator(request.language)
      const person = await ownPerson(services, actor, personId)
      const body = (request.body ?? {}) as FormBody
      const version = text(body, 'version')
      const read = readPersonDetails(body, t)
      let problems = read.problems
      if (!isVersion(version)) problems.add('save', t('personEdit.outOfDate'))
      if (problems.empty && read.value) {
        const changes = changesOf(person, read.value)
        if (Object.keys(changes).length === 0) return reply.redirect(`${paths.person(personId)}?saved=unchanged`, 303)
        try {
          await services.people.update(actor, personId, { ...changes, version: Number(version) })
          return reply.redirect(`${paths.person(personId)}?saved=details`, 303)
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error
          problems = fromServiceErrors(error.errors, { fieldOf: (path) => fieldOfServicePath(path, read.nameRows, read.dobRange), anchorOf, fallbackField: 'save' })
        }
      }
      return reply.view(`${VIEWS}/person-details.njk`, {
        title: t('personEdit.title'), identity: identityOf(person), action: `/people/${personId}/edit`,
        values: body, nameRows: nameRowsOf(body), version, codes: CODES, errors: problems.toFormErrors(),
      }, 400)
    })

    // ---------------------------------------------------------------- photos

    app.get('/people/:personId/photos/new', async (request, reply) => {
      const personId = personIdOf(request)
      const person = await ownPerson(services, actorForPerson(request, personId), personId)
      return reply.view(`${VIEWS}/photo-form.njk`, { title: translator(request.language)('personEdit.photoTitle'), identity: identityOf(person), action: `/people/${personId}/photos/new`, values: {} })
    })

    app.post('/people/:personId/photos/new', async (request, reply) => {
      const personId = personIdOf(request)
      const actor = actorForPerson(request, personId)
      const t = translator(request.language)
      const person = await ownPerson(services, actor, personId)
      const body = (request.body ?? {}) as FormBody
      let problems = new FormProblems()
      const upload = request.photoUpload
      if (!upload || upload.bytes.length === 0) problems.add('photo', t('personEdit.photoRequired'))
      else if (upload.tooLarge) problems.add('photo', t('personEdit.photoTooLarge'))
      else if (!(PHOTO_CONTENT_TYPES as readonly string[]).includes(upload.contentType)) problems.add('photo', t('personEdit.photoWrongType'))
      const takenOn = dateInput(body, 'takenOn', t('personEdit.takenOnLabel'), problems, t, false)
      const caption = optionalText(body, 'caption')
      if (caption !== null && caption.length > 200) problems.add('caption', t('personEdit.captionTooLong', { max: 200 }))
      if (problems.empty && upload) {
        try {
          await services.people.addPhoto(actor, personId, {
            contentType: upload.contentType as (typeof PHOTO_CONTENT_TYPES)[number],
            dataBase64: upload.bytes.toString('base64'),
            takenOn,
            caption,
          })
          return reply.redirect(`${paths.person(personId)}?saved=photo`, 303)
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error
          // The size was checked above, so the service refusing the file means its first bytes are not the image
          // its type says (the service checks them): said in the page's language.
          problems = new FormProblems()
          for (const mapped of fromServiceErrors(error.errors, { fieldOf: (path) => (path === 'dataBase64' || path === 'contentType' ? 'photo' : path), anchorOf: (field) => (field === 'takenOn' ? 'takenOn-day' : field), fallbackField: 'photo' }).errors) {
            problems.add(mapped.field, mapped.field === 'photo' ? t('personEdit.photoWrongType') : mapped.message, mapped.anchor)
          }
        }
      }
      return reply.view(`${VIEWS}/photo-form.njk`, {
        title: t('personEdit.photoTitle'), identity: identityOf(person), action: `/people/${personId}/photos/new`,
        values: body, errors: problems.toFormErrors(),
      }, 400)
    })
  }
}

export const personDetailsPages: WebPages = { routes }
