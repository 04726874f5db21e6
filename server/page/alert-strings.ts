/**
 * The organisers' page's words for its "Rejected records" list: each alert's kind (a stable code, also shown
 * beside it), and the reason a central server gave a hub for a record it relayed. Spread into strings.ts;
 * German and Chinese are typed against the English keys.
 */
export const alertEn = {
  'alert.id_reuse': 'A record id was used again for a different change',
  'alert.seq_conflict': 'Two changes of one device carry the same number',
  'alert.wrong_device': 'Sent by a device other than the one that recorded it',
  'alert.relay_not_trusted': 'Relayed by a venue hub that is not trusted for this device',
  'alert.event_invalid': 'Malformed record: a field has the wrong type, length or characters',
  'alert.event_too_large': 'Record too large (more than 64 KB)',
  'alert.event_too_deep': 'Record nested too deeply',
  'alert.event_clock_skew': 'The record’s clock is more than 24 hours ahead',
  'alert.relay_refused': 'The central server refused a record this hub relayed: {reason}',
  'alert.relay_handover_refused': 'A door’s move to a venue hub was refused: its proof did not match',
  'alert.unanswered': 'no answer from the central server',
};

export type AlertStringKey = keyof typeof alertEn;

export const alertDe: Record<AlertStringKey, string> = {
  'alert.id_reuse': 'Eine Eintrags-ID wurde für eine andere Änderung erneut verwendet',
  'alert.seq_conflict': 'Zwei Änderungen eines Geräts tragen dieselbe Nummer',
  'alert.wrong_device': 'Von einem anderen Gerät gesendet als dem, das ihn erfasst hat',
  'alert.relay_not_trusted': 'Von einem Veranstaltungs-Hub weitergeleitet, dem für dieses Gerät nicht vertraut wird',
  'alert.event_invalid': 'Fehlerhafter Eintrag: ein Feld hat falschen Typ, falsche Länge oder Zeichen',
  'alert.event_too_large': 'Eintrag zu groß (mehr als 64 KB)',
  'alert.event_too_deep': 'Eintrag zu tief verschachtelt',
  'alert.event_clock_skew': 'Die Uhr des Eintrags geht mehr als 24 Stunden vor',
  'alert.relay_refused': 'Der zentrale Server hat einen von diesem Hub weitergeleiteten Eintrag abgelehnt: {reason}',
  'alert.relay_handover_refused':
    'Der Wechsel eines Eingangs zu einem Veranstaltungs-Hub wurde abgelehnt: sein Nachweis stimmte nicht',
  'alert.unanswered': 'keine Antwort vom zentralen Server',
};

export const alertZh: Record<AlertStringKey, string> = {
  'alert.id_reuse': '同一记录编号被用于另一项更改',
  'alert.seq_conflict': '同一设备的两项更改使用了相同的序号',
  'alert.wrong_device': '由并非记录它的设备发送',
  'alert.relay_not_trusted': '由未获此设备信任的现场枢纽转发',
  'alert.event_invalid': '记录格式错误：某字段的类型、长度或字符不正确',
  'alert.event_too_large': '记录过大（超过 64 KB）',
  'alert.event_too_deep': '记录嵌套过深',
  'alert.event_clock_skew': '记录的时钟超前 24 小时以上',
  'alert.relay_refused': '中央服务器拒绝了本枢纽转发的一条记录：{reason}',
  'alert.relay_handover_refused': '某入口转到现场枢纽的请求被拒绝：其凭证不符',
  'alert.unanswered': '中央服务器未答复',
};
