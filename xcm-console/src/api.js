// The two doors the console talks to, both on the page's own origin:
//   /ui/session  sign in (POST), who am I (GET), sign out (DELETE, with the CSRF token);
//   /jolokia/    every MBean read and exec, with the session cookie and the X-XCM-CSRF header.
// The CSRF token lives only in memory (never in storage or URLs); after a reload GET /ui/session
// gives it again.
import Jolokia from 'jolokia.js';
import { Refused, SessionEnded, errorText } from './protocol.js';

export { Refused, SessionEnded };

export const CSRF_HEADER = 'X-XCM-CSRF';

const sessionUrl = () => new URL('session', document.baseURI).href;
const jolokiaUrl = () => new URL('../jolokia/', document.baseURI).href;

/** The reason a refusal gives ({"status":401,"error":"..."}), or the HTTP status line. */
async function reason(response) {
  try {
    const text = await response.text();
    const json = JSON.parse(text);
    if (json && typeof json.error === 'string') return json.error;
  } catch {
    // not JSON: fall through
  }
  return `HTTP ${response.status} ${response.statusText}`.trim();
}

/** {user, role, csrf} when the cookie holds a live session, else null. */
export async function currentSession() {
  const response = await fetch(sessionUrl(), {
    credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' },
  });
  if (response.status === 200) return response.json();
  if (response.status === 401) return null;
  throw new Refused(await reason(response), response.status);
}

/** Signs in; {user, role, csrf} or throws Refused with the reason (401, 429, ...). */
export async function signIn(user, password) {
  const response = await fetch(sessionUrl(), {
    method: 'POST',
    credentials: 'same-origin',
    cache: 'no-store',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ user, password }),
  });
  if (response.status === 200) return response.json();
  throw new Refused(await reason(response), response.status);
}

/** Signs out; the session is gone whatever the answer (a 401 means it already was). */
export async function signOut(session) {
  const response = await fetch(sessionUrl(), {
    method: 'DELETE',
    credentials: 'same-origin',
    cache: 'no-store',
    headers: { [CSRF_HEADER]: session.csrf },
  });
  if (response.status !== 204 && response.status !== 401) {
    throw new Refused(await reason(response), response.status);
  }
}

/**
 * Jolokia for one session. onSessionEnded(reason) runs once when Jolokia answers 401.
 * bulk(requests) resolves to one reply per request ({status, value} or {status, error}).
 */
export function jolokiaClient(session, onSessionEnded) {
  const jolokia = new Jolokia({
    url: jolokiaUrl(),
    method: 'post',
    credentials: 'same-origin',
    headers: { [CSRF_HEADER]: session.csrf },
    mimeType: 'application/json',
    timeout: 60000,
  });
  let ended = false;

  async function bulk(requests) {
    let replies;
    try {
      replies = await jolokia.request(requests);
    } catch (e) {
      if (e instanceof Response) {
        const why = await reason(e);
        if (e.status === 401) {
          if (!ended) {
            ended = true;
            onSessionEnded(why);
          }
          throw new SessionEnded(why);
        }
        throw new Refused(why, e.status);
      }
      throw new Refused(`the coordinator did not answer: ${e?.message ?? e}`, 0);
    }
    if (typeof replies === 'string') replies = JSON.parse(replies);
    return Array.isArray(replies) ? replies : [replies];
  }

  /** One request's value, or Refused with the reply's reason. */
  async function one(request) {
    const [reply] = await bulk([request]);
    if (reply?.status !== 200) throw new Refused(errorText(reply), reply?.status);
    return reply.value;
  }

  return { bulk, one };
}
