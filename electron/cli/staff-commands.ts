import type { StaffMember } from '../../shared/staff/schemas.ts';
import { usage, type CliContext } from './context.ts';

const line = (m: StaffMember) => `${m.id}  ${m.role.padEnd(10)} ${m.name}`;

/**
 * `lanyard staff add NAME --role door|supervisor --pin PIN | list | remove ID`. The CLI is the machine
 * owner's tool: no PIN is asked. Hashes never leave the core.
 */
export function runStaffCommand(command: string, { values, args, out, call }: CliContext): number | null {
  if (command !== 'staff') return null;
  const [sub, ...rest] = args;
  switch (sub) {
    case 'add': {
      const name = rest.join(' ');
      if (name.trim() === '') usage('staff add needs a NAME');
      if (values.role !== 'door' && values.role !== 'supervisor') usage('staff add needs --role door|supervisor');
      if (values.pin === undefined) usage('staff add needs --pin PIN (4 to 12 digits)');
      const member = call<StaffMember>('staff.add', { name, role: values.role, pin: values.pin });
      out(member, `added ${line(member)}`);
      return 0;
    }
    case 'list': {
      const { staff } = call<{ staff: StaffMember[] }>('staff.list', {});
      out({ staff }, staff.length === 0 ? 'no staff yet: the door is open to everyone' : staff.map(line).join('\n'));
      return 0;
    }
    case 'remove': {
      const staffId = rest[0] ?? usage('staff remove needs a staff ID (see staff list)');
      call('staff.remove', { staffId });
      out({ removed: true, staffId }, `removed ${staffId}`);
      return 0;
    }
    default:
      return usage('staff needs add, list or remove');
  }
}
