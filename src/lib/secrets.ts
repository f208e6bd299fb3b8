import { argon2, createHash, randomBytes, timingSafeEqual } from 'node:crypto'

// argon2id with the OWASP minimum parameters (19 MiB, 2 passes, 1 lane), stored as a PHC string.
const MEMORY_KIB = 19_456
const PASSES = 2
const PARALLELISM = 1
const TAG_LENGTH = 32

function derive(password: string, salt: Buffer, memory: number, passes: number, parallelism: number, tagLength: number) {
  return new Promise<Buffer>((resolve, reject) => {
    argon2('argon2id', { message: password, nonce: salt, memory, passes, parallelism, tagLength }, (error, key) =>
      error ? reject(error) : resolve(key),
    )
  })
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, MEMORY_KIB, PASSES, PARALLELISM, TAG_LENGTH)
  return `$argon2id$v=19$m=${MEMORY_KIB},t=${PASSES},p=${PARALLELISM}$${salt.toString('base64url')}$${key.toString('base64url')}`
}

const PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([\w-]+)\$([\w-]+)$/

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = PHC.exec(stored)
  if (!match) return false
  const [, memory, passes, parallelism, salt, expected] = match
  const expectedKey = Buffer.from(expected ?? '', 'base64url')
  const key = await derive(
    password,
    Buffer.from(salt ?? '', 'base64url'),
    Number(memory),
    Number(passes),
    Number(parallelism),
    expectedKey.length,
  )
  return key.length === expectedKey.length && timingSafeEqual(key, expectedKey)
}

/** A new bearer secret: a readable prefix naming its kind, then 256 random bits. */
export function newBearerSecret(prefix: 'lts' | 'ltk'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`
}

/** Bearer secrets are stored only as their SHA-256, so a copy of the database cannot sign anyone in. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex')
}
