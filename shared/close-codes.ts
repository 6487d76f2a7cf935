// Websocket close codes a Stratboard server sends that the client must tell apart.
// 44xx mirrors HTTP 4xx: the stock y-websocket client stops reconnecting on them.

/** The desktop app that hosted a LAN session stopped it (HTTP 410 Gone). */
export const SESSION_ENDED_CLOSE_CODE = 4410;
