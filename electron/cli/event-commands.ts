import type { EventInfo, Forum, ForumStatus } from '../../shared/domain.ts';
import { CliError, usage, type CliContext } from './context.ts';

interface EventDetails {
  event: EventInfo;
  badgeSize: string;
  logoDataUrl: string;
}

/** --name is English; --name-zh / --name-de the others. Only the flags given (an update leaves the rest). */
function names(values: CliContext['values']): { zh?: string; en?: string; de?: string } {
  const name: { zh?: string; en?: string; de?: string } = {};
  if (values.name !== undefined) name.en = values.name;
  if (values['name-zh'] !== undefined) name.zh = values['name-zh'];
  if (values['name-de'] !== undefined) name.de = values['name-de'];
  return name;
}

function eventText({ event, badgeSize, logoDataUrl }: EventDetails): string {
  const forums = event.forums.map((f) => `  ${f.id.padEnd(12)} ${f.room.padEnd(8)} ${f.capacity} seats — ${f.name.en}`);
  return [
    `${event.name.en} (${event.id})`,
    event.name.zh !== event.name.en ? `  中文: ${event.name.zh}` : '',
    event.name.de !== event.name.en ? `  Deutsch: ${event.name.de}` : '',
    `  ${event.startsAt || '(no start)'} – ${event.endsAt || '(no end)'} ${event.timezone}`,
    event.venue.en ? `  at ${event.venue.en}` : '',
    `  badges: ${badgeSize}${logoDataUrl ? ', with logo' : ''}`,
    `${event.forums.length} sub-forum(s)`,
    ...forums,
  ]
    .filter((line) => line !== '')
    .join('\n');
}

/** What `event show --json` prints: the event, without the logo's bytes. */
function eventJson({ event, badgeSize, logoDataUrl }: EventDetails) {
  return { event, badgeSize, logo: logoDataUrl !== '' };
}

function eventFields(values: CliContext['values']) {
  return {
    ...(values.starts !== undefined && { startsAt: values.starts }),
    ...(values.ends !== undefined && { endsAt: values.ends }),
    ...(values.timezone !== undefined && { timezone: values.timezone }),
    ...(values.venue !== undefined && { venue: { en: values.venue } }),
    ...(values.template !== undefined && { badgeSize: values.template }),
  };
}

function forumFields(values: CliContext['values']) {
  return {
    ...(values.capacity !== undefined && { capacity: Number(values.capacity) }),
    ...(values.room !== undefined && { room: values.room }),
    ...(values.starts !== undefined && { startsAt: values.starts }),
    ...(values.ends !== undefined && { endsAt: values.ends }),
    ...(values.colour !== undefined && { colour: values.colour }),
  };
}

/** `lanyard event create|show|update`, `lanyard forums add|update|remove|order`. Null for other commands. */
export async function runEventCommand(
  command: string,
  { values, args, call, out }: CliContext,
): Promise<number | null> {
  const [sub, id] = args;
  if (command === 'event') {
    switch (sub) {
      case 'create': {
        if (values.name === undefined && values['name-zh'] === undefined && values['name-de'] === undefined)
          usage('event create needs --name NAME (or --name-zh / --name-de)');
        const { eventId, event } = call<{ eventId: string; event: EventInfo }>('event.create', {
          name: names(values),
          ...eventFields(values),
        });
        out({ eventId }, `Event ${event.name.en} created (${eventId}), ${event.startsAt || 'no start set'}`);
        return 0;
      }
      case 'show': {
        const details = call<EventDetails>('event.show', {});
        out(eventJson(details), eventText(details));
        return 0;
      }
      case 'update': {
        const details = call<EventDetails>('event.update', { name: names(values), ...eventFields(values) });
        out(eventJson(details), eventText(details));
        return 0;
      }
      default:
        return usage('event needs create, show or update');
    }
  }
  if (command !== 'forums' || sub === undefined) return null;
  switch (sub) {
    case 'add': {
      if (id === undefined) usage('forums add needs an ID');
      const forum = call<Forum>('forums.add', { forum: { id, name: names(values), ...forumFields(values) } });
      out({ forum }, `Forum ${forum.id} added: ${forum.name.en}, ${forum.capacity} seats`);
      return 0;
    }
    case 'update': {
      if (id === undefined) usage('forums update needs an ID');
      const current = call<{ forums: ForumStatus[] }>('forums.list', {}).forums.find((f) => f.id === id);
      if (current === undefined) throw new CliError({ code: 'forum_not_found', message: `no forum with id ${id}` });
      const { assigned: _a, arrived: _b, inside: _c, ...forum } = current;
      const fields = forumFields(values);
      const forumInput = { ...forum, ...fields, name: { ...forum.name, ...names(values) } };
      const updated = call<Forum>('forums.update', { forum: forumInput });
      out({ forum: updated }, `Forum ${updated.id} updated: ${updated.name.en}, ${updated.capacity} seats`);
      return 0;
    }
    case 'remove': {
      if (id === undefined) usage('forums remove needs an ID');
      const result = call<{ removed: string; moved: number }>('forums.remove', {
        forumId: id,
        moveTo: values['move-to'] ?? '',
      });
      out(
        result,
        `Forum ${result.removed} removed${result.moved > 0 ? `; ${result.moved} guest(s) moved to ${values['move-to']}` : ''}`,
      );
      return 0;
    }
    case 'order': {
      const { forums } = call<{ forums: Forum[] }>('forums.reorder', { forumIds: args.slice(1) });
      out({ forums: forums.map((f) => f.id) }, forums.map((f) => f.id).join(' '));
      return 0;
    }
    default:
      return usage('forums takes add, update, remove or order (or nothing, to list)');
  }
}
