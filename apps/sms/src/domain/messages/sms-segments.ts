// GSM 03.38 basic character set and its extension table (the extension characters take two septets).
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';

/**
 * How many segments a text is billed as, the way carriers split it: GSM-7 texts fit 160 septets
 * (153 per segment once split), anything with another character is UCS-2 (70, then 67 per
 * segment; characters outside the BMP count twice). Used where Twilio does not say (inbound
 * webhooks without NumSegments, replies sent as TwiML).
 */
export function countSmsSegments(body: string): number {
  let septets = 0;
  let gsm = true;
  for (const char of body) {
    if (GSM_BASIC.includes(char)) septets += 1;
    else if (GSM_EXTENDED.includes(char)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return septets <= 160 ? 1 : Math.ceil(septets / 153);
  const units = body.length; // UTF-16 code units: a non-BMP character is two
  return units <= 70 ? 1 : Math.ceil(units / 67);
}
