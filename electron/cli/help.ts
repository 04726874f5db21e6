import { defaultDataDir } from '../core/paths.ts';

/** `lanyard --help`: every command with its arguments (the data directory's default is this machine's). */
export function helpText(): string {
  return `lanyard — offline event check-in kiosk

Usage: lanyard <command> [arguments] [--data DIR] [--json]

Commands:
  init [--demo]              create the kiosk database (and load the demo Open Day event)
  event create --name NAME [--name-zh N] [--name-de N] [--starts ISO] [--ends ISO] [--timezone IANA]
               [--venue V] [--template SIZE]
                             create this kiosk's event (times are local to --timezone, default this
                             machine's zone, unless they carry an offset); prints {"eventId"}
  event show                 the event, its times, venue, badge size and sub-forums
  event update [same flags]  change the fields given
  init --from FILE [--passphrase P]
                             make this kiosk a kiosk of the event in another kiosk's set-up file
  event export --out FILE --passphrase P
                             the event's set-up file for another kiosk (event, forums, lists, roster, public
                             keys, revocations); the passphrase (8+ characters) seals its secrets
  backup --out FILE          a checked online backup of this kiosk's database
  restore FILE [--force]     put a backup in place (not while the app runs; same event and kiosk only)
  wipe --yes [--force]       close the event here: delete the database, its backups, keys and sync token;
                             refused while events are neither synced nor in an exported bundle (--force);
                             a venue hub's DIR/hub/ is kept (other doors' check-ins may be only there)
  scan CODE [--device NAME]  check in the guest with this code (NAME sets this kiosk's door name)
  search QUERY               find guests by name, pinyin, initials, organisation, email or code
  undo GUEST_ID              undo the guest's latest check-in
  stats                      counts: guests, checked in, walk-ins, cancelled
  staff add NAME --role door|supervisor --pin PIN
                             add a staff member (door staff, or a supervisor who approves reprints,
                             overrides, others' undos, edits, imports, exports and leaving kiosk mode)
  staff list | staff remove ID
                             the staff (names and roles; never a PIN or its hash)
  self-service on|off|status the guests' self-service screen (on needs a supervisor set up; at the screen
                             only a supervisor's PIN leaves it)
  set-pin PIN                the PIN of the supervisor called "Supervisor" (added if missing); kept from
                             the single kiosk PIN of earlier versions
  import FILE [--list NAME] [--replace] [--preset NAME] [--dry-run]
                             import a guest list (CSV/XLSX; presets: pretix, eventbrite, indico, generic)
                             into list NAME (default: the preset's system or the file's name); adds and
                             updates only. --replace: the file is the list's complete file, so its guests
                             missing from it leave the list (removed if on no other list; walk-ins stay);
                             preview with --dry-run. All-or-nothing: with row errors the exit status is 2
  export --format csv|xlsx|json|bundle --out FILE [--forum ID] [--lang zh-CN|en|de]
                             export attendance (CSV with BOM, XLSX sheets, JSON event log, or a .zip of all);
                             headers, sheets and forum names in --lang, else in the kiosk screen's language;
                             a kiosk whose screen never chose one writes English headers and forum ids
  code GUEST_ID [--device-key]
                             the guest's badge code: 24 digits (a walk-in's 36), or the long signed form
                             with name and organisation when the event opts in (codes --details on)
  verify CODE                explain a badge code: {valid, reason, keyId, guestId, ...}
  revoke GUEST_ID --reason R revoke a guest's badge code (a lost or stolen badge)
  codes [--details on|off | rotate-secret | revoke-secret GEN | retire-secret GEN]
                             the event's badge-code policy and its cost in digits and scan time; a lost
                             kiosk: rotate the code secret, then revoke its generation (unsynced walk-ins
                             of it stop); retire a generation once its badges are reprinted
  keys [rotate | trust ID HEX | retire ID | revoke ID]
                             list signing keys; rotate the event key; retire a key (its badges stop
                             working) or revoke a lost kiosk's device key
  badge GUEST_ID --out FILE.pdf [--template SIZE] [--reason R]
                             render a guest's badge to PDF (sizes: cr80, 4x3in, a6, ql-62x100, 4x6in);
                             a reprint needs --reason; every print is a badge_print event
  badges --out FILE.pdf [--template SIZE] [--forum ID] [--role ROLE] [--not-printed] [--reason R] [--sheet a4]
                             a PDF of many badges, one per label page, or on A4 sheets of cards
  forums                     each sub-forum with capacity, assigned, arrived, inside
  forums add ID --name NAME [--name-zh N] [--name-de N] [--capacity N] [--room R] [--starts ISO]
             [--ends ISO] [--colour #RRGGBB]
                             add a sub-forum (capacity 100 and the event's times unless given)
  forums update ID [same flags]
                             change a sub-forum's fields given
  forums remove ID [--move-to OTHER]
                             remove a sub-forum; with guests assigned, --move-to moves them first
  forums order ID ID …       put the sub-forums in this order
  assign GUEST_ID FORUM_ID [--override REASON]
                             assign a guest to a forum (a full forum needs --override)
  autoassign [--dry-run]     fill forums from ranked preferences (rank-maximal) and explain the outcome
  scan CODE --forum FORUM_ID [--exit] [--anyway]
                             a scan at a forum room's door (entry, or exit with --exit)
  publish URL --admin-token T
                             upload this kiosk's event (roster, forums, public keys) to a sync server
  pair URL CODE              pair this kiosk with a sync server using a one-time pairing code
  sync                       one sync round now: {pushed, pulled, duplicates, conflicts, cursor}
  status                     sync status: online/offline, last sync, events waiting, clock offset
  conflicts                  badges admitted at more than one door, forum conflicts, refused events
  serve [--port N]           serve the kiosk in a browser at http://127.0.0.1:N (default 5180)
  hub [--port P] [--host ADDR]
                             make this laptop the venue hub: the sync server for the doors on the LAN,
                             serving this kiosk's event, until Ctrl+C (port: the last one, else 8088; host:
                             listen on that address alone and put it in the pairing QR)
  hub pair --name NAME       a pairing code on the running hub for a new door: {"code","url","qr"} (qr: SVG)
  hub status                 whether a hub runs on this data directory, its address and doors
  hub link --server URL --code CODE
                             link the venue hub with the central server (a hub code from the organiser:
                             npm run server -- pair --hub …); it relays its doors' check-ins while it runs

Options:
  --data DIR   data directory (default: ${defaultDataDir()}, or $LANYARD_DATA)
  --json       machine-readable output on stdout
  --help       this text
`;
}
