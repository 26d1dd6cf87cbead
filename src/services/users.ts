import { randomBytes, randomUUID } from 'node:crypto';
import { ConfigError } from '../core/errors.js';
import { hashPassword, PASSWORD_MAX, PASSWORD_MIN, USERNAME_PATTERN } from '../server/auth/password.js';
import { apiTokenHash } from '../server/auth/tokens.js';
import { maskPersonalId } from '../core/redact.js';
import { normalisePersonalId, subjectHash } from '../core/subject-hash.js';
import { isSignerRole, ROLES, type ApiTokenRow, type Role, type UserRow } from '../store/console-store.js';
import type { StateStore } from '../store/store.js';

/** An account as it is shown: never its password hash. */
export interface UserView {
  username: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  /** a signer's personal id, masked; null for other roles */
  personalId: string | null;
}

const view = (u: UserRow): UserView => ({ username: u.username, role: u.role, disabled: u.disabled, createdAt: u.createdAt, personalId: u.personalIdMasked });

/**
 * A signer's account needs their personal id (12-digit CCCD: the id the signing requests name);
 * other roles take none. Said before the password is asked for.
 */
export function checkPersonalId(role: Role, personalId: string | undefined): string | null {
  if (!isSignerRole(role)) {
    if (personalId !== undefined) throw new ConfigError('PERSONAL_ID_NOT_FOR_ROLE', `only a signer's account (teacher, homeroom, principal) has a personal id, not ${role}`, { field: 'personalId' });
    return null;
  }
  const id = normalisePersonalId(personalId ?? '');
  if (!/^\d{12}$/.test(id)) throw new ConfigError('PERSONAL_ID_INVALID', `a ${role} account needs the signer's personal id: 12 digits (--personal-id)`, { field: 'personalId' });
  return id;
}

export function checkUsername(username: string): void {
  if (!USERNAME_PATTERN.test(username)) {
    throw new ConfigError('USERNAME_INVALID', `account name "${username.slice(0, 64)}": 2 to 64 lowercase letters, digits, ".", "_" or "-", starting with a letter`, { field: 'username' });
  }
}

export function checkRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role)) throw new ConfigError('ROLE_UNKNOWN', `unknown role "${role.slice(0, 32)}" (roles: ${ROLES.join(', ')})`, { field: 'role' });
  return role as Role;
}

export function checkPassword(password: string): void {
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    throw new ConfigError('PASSWORD_TOO_SHORT', `a password has ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`, { field: 'password' });
  }
}

async function existing(store: StateStore, username: string): Promise<UserRow> {
  const user = await store.getUser(username);
  if (!user) throw new ConfigError('USER_NOT_FOUND', `no account named "${username.slice(0, 64)}"`, { field: 'username' });
  return user;
}

export async function addUser(store: StateStore, username: string, role: string, password: string, personalId?: string): Promise<UserView> {
  checkUsername(username);
  const checkedRole = checkRole(role);
  const id = checkPersonalId(checkedRole, personalId);
  checkPassword(password);
  if (await store.getUser(username)) throw new ConfigError('USER_EXISTS', `an account named "${username}" exists already`, { field: 'username' });
  // the account keeps the keyed hash (matched against the requests' signer ids) and the masked id, never the id
  const personal = id === null ? {} : { personalIdHash: subjectHash(await store.subjectKey(), id), personalIdMasked: maskPersonalId(id) };
  return view(await store.createUser({ username, role: checkedRole, passwordHash: await hashPassword(password), ...personal }));
}

export async function listUsers(store: StateStore): Promise<UserView[]> {
  return (await store.listUsers()).map(view);
}

/** Disables an account and revokes its API tokens (its sessions end at their next request). */
export async function disableUser(store: StateStore, username: string): Promise<{ revokedTokens: number }> {
  await existing(store, username);
  await store.updateUser(username, { disabled: true });
  return { revokedTokens: await store.revokeApiTokens(username) };
}

export async function setPassword(store: StateStore, username: string, password: string): Promise<void> {
  await existing(store, username);
  checkPassword(password);
  await store.updateUser(username, { passwordHash: await hashPassword(password) });
}

/**
 * A new personal API token: `lt_` and 32 random bytes (base64url). Only its SHA-256 is stored;
 * the token is in the answer once and nowhere else. A token of high entropy needs no slow hash.
 */
export async function createApiToken(store: StateStore, username: string, label = ''): Promise<{ token: string; row: ApiTokenRow }> {
  const user = await existing(store, username);
  if (user.disabled) throw new ConfigError('USER_DISABLED', `the account "${username}" is disabled`, { field: 'username' });
  const token = `lt_${randomBytes(32).toString('base64url')}`;
  const row = await store.addApiToken({ id: randomUUID(), username, label: label.slice(0, 100), tokenHash: apiTokenHash(token) });
  return { token, row };
}
