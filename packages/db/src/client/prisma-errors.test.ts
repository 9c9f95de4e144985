import { Prisma } from '../generated/prisma/client';
import { isUniqueViolation } from './prisma-errors';

describe('isUniqueViolation', () => {
  const known = (code: string) => new Prisma.PrismaClientKnownRequestError('failed', { code, clientVersion: Prisma.prismaVersion.client });

  it('is true for P2002 only', () => {
    expect(isUniqueViolation(known('P2002'))).toBe(true);
    expect(isUniqueViolation(known('P2025'))).toBe(false);
    expect(isUniqueViolation(Object.assign(new Error('duplicate'), { code: 'P2002' }))).toBe(false);
    expect(isUniqueViolation(undefined)).toBe(false);
  });
});
