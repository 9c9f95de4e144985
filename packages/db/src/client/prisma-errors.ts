import { Prisma } from '../generated/prisma/client';

/** True for a unique-constraint violation (Prisma P2002) from the statement that threw it. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
