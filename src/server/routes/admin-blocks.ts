/**
 * Blocks by email or IP network: a blocked author's comments are held (`heldReason: blocked`), never published.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { EmailSchema, fieldErrors, validationMessages } from '../../schema.js';
import { HttpError, send } from '../http.js';
import type { Actor, RouteHandler } from '../http.js';
import type { NewBlock } from '../moderation-store.js';
import { parseNetwork } from '../net.js';
import type { Settings } from '../options.js';
import type { CommentStore } from '../store.js';
import { readAdminJson } from './admin.js';

const invalidBlock = (fields: Record<string, string>) => new HttpError(422, 'validation', 'The block needs attention before it can be saved.', fields);

/** The handlers of the block routes. They run behind `adminGate`. */
export function blockRoutes(store: CommentStore, settings: Settings): Record<'list' | 'add' | 'remove', RouteHandler> {
  const moderation = store.moderation;
  const audit = (actor: Actor | undefined, action: 'block' | 'unblock') =>
    moderation.appendAudit({ at: new Date(settings.now()).toISOString(), moderator: actor?.name ?? 'owner', action, commentId: null });

  return {
    async list({ res }) {
      send(res, 200, { blocks: await moderation.listBlocks() });
    },

    async add({ req, res, actor }) {
      const raw = await readAdminJson(req, settings.maxBodyBytes);
      const block: NewBlock = {
        id: `b_${randomBytes(9).toString('base64url')}`,
        kind: 'email',
        value: '',
        createdAt: new Date(settings.now()).toISOString(),
        createdBy: actor?.name ?? 'owner',
        rangeStart: null,
        rangeEnd: null,
      };
      if (raw.kind === 'email') {
        const parsed = EmailSchema.safeParse(raw.value);
        if (!parsed.success) throw invalidBlock({ value: fieldErrors(parsed.error)._ ?? validationMessages['email.invalid'] });
        block.value = parsed.data.toLowerCase();
      } else if (raw.kind === 'ip') {
        const network = typeof raw.value === 'string' ? parseNetwork(raw.value) : null;
        if (!network) throw invalidBlock({ value: 'Enter an IPv4 or IPv6 address, or a network like 203.0.113.0/24 or 2001:db8::/48.' });
        Object.assign(block, { kind: 'ip', ...network });
      } else {
        throw invalidBlock({ kind: 'The kind must be email or ip.' });
      }
      const saved = await moderation.addBlock(block);
      await audit(actor, 'block');
      send(res, 201, { block: saved });
    },

    async remove({ res, params, actor }) {
      if (!(await moderation.removeBlock(params.id))) throw new HttpError(404, 'not_found', 'There is no block with this id; someone may have removed it.');
      await audit(actor, 'unblock');
      send(res, 200, { deleted: params.id });
    },
  };
}
