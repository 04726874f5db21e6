import { z } from 'zod';
import { badgeMethods } from './contract/badges.ts';
import { doorMethods } from './contract/door.ts';
import { forumMethods } from './contract/forums.ts';
import { hubMethods } from './contract/hub.ts';
import { operationMethods } from './contract/operations.ts';
import { rosterMethods } from './contract/roster.ts';
import { selfServiceMethods } from './contract/self-service.ts';
import { staffMethods } from './contract/staff.ts';

export { BadgeSettingsSchema } from './contract/badges.ts';
export { EventDetailsSchema } from './contract/door.ts';

/**
 * The one contract (Actual Budget's handler map): every core method with its input and output schema.
 * The IPC binding, the preload API, the HTTP routes and the renderer client are all derived from it.
 * Each domain's methods are in shared/contract/<domain>.ts; the order here is the order methods are listed.
 */
export const contract = {
  ...doorMethods,
  ...rosterMethods,
  ...badgeMethods,
  ...forumMethods,
  ...operationMethods,
  ...hubMethods,
  ...staffMethods,
  ...selfServiceMethods,
};

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type ParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;

export const methodNames = Object.keys(contract) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(contract, name);
}

/** What the core implements: one synchronous handler per method (better-sqlite3 is synchronous). */
export type Handlers = { [M in MethodName]: (input: ParsedInput<M>) => MethodOutput<M> };
