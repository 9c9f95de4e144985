-- How a tenant's calls are answered: 'gather' (a speech <Gather> per turn, then a whole answer
-- synthesized and played) or 'relay' (Twilio ConversationRelay: speech recognition and ElevenLabs
-- speech run at Twilio, the answer streams as text tokens over a WebSocket). Existing tenants keep
-- today's path. The relay path's language is customers.language, as on the gather path.
CREATE TYPE "voice_mode" AS ENUM ('gather', 'relay');

ALTER TABLE "customers" ADD COLUMN "voice_mode" "voice_mode" NOT NULL DEFAULT 'gather';
