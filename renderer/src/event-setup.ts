import type { MethodInput, MethodOutput } from '../../shared/contract.ts';
import type { Forum } from '../../shared/domain.ts';
import { translate, translateError, type Locale } from '../../shared/i18n/index.ts';
import type { LanyardError, Result } from '../../shared/result.ts';
import { api } from './api/client.ts';
import { useKiosk } from './store.ts';

/**
 * The organiser's set-up actions, one named function each, so a supervisor gate can wrap exactly
 * these (creating and editing the event, adding, reordering and removing forums).
 */
async function thenRefresh<T>(result: Promise<Result<T>>): Promise<Result<T>> {
  const r = await result;
  if (r.ok) await useKiosk.getState().refreshStatus();
  return r;
}

export function createEvent(input: MethodInput<'event.create'>): Promise<Result<MethodOutput<'event.create'>>> {
  return thenRefresh(api['event.create'](input));
}

export function updateEvent(patch: MethodInput<'event.update'>): Promise<Result<MethodOutput<'event.update'>>> {
  return thenRefresh(api['event.update'](patch));
}

export function addForum(forum: MethodInput<'forums.add'>['forum']): Promise<Result<Forum>> {
  return thenRefresh(api['forums.add']({ forum }));
}

/** Moves one forum a place up (-1) or down (+1) in the list. */
export function moveForum(forumIds: readonly string[], forumId: string, step: -1 | 1) {
  const order = [...forumIds];
  const from = order.indexOf(forumId);
  const to = from + step;
  if (from < 0 || to < 0 || to >= order.length) return Promise.resolve(null);
  [order[from], order[to]] = [order[to]!, order[from]!];
  return thenRefresh(api['forums.reorder']({ forumIds: order }));
}

export function removeForum(forumId: string, moveTo: string) {
  return thenRefresh(api['forums.remove']({ forumId, moveTo }));
}

/** The organiser-facing text of a set-up error: which field is wrong is worth its detail here. */
export function setupErrorText(locale: Locale, error: LanyardError): string {
  if (error.code === 'invalid_input') return translate(locale, 'eventError.invalid_input', { message: error.message });
  return translateError(locale, error);
}

/** Which field an error belongs beside in the form. */
export function errorField(error: LanyardError | null): 'name' | 'time' | 'timezone' | 'other' | null {
  if (error === null) return null;
  if (error.code === 'name_required') return 'name';
  if (error.code === 'invalid_event_time') return 'time';
  if (error.code === 'invalid_timezone') return 'timezone';
  return 'other';
}

/** Every IANA zone the browser knows, for the time-zone list. */
export function timeZones(): string[] {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  return supported ? supported('timeZone') : [];
}

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
