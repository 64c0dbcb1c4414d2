/**
 * MessageChannel, MessagePort and MessageEvent inside the sandbox (HTML §9.4-9.5). Both
 * ports of a channel live in the same realm: postMessage structured-clones the message at
 * once (with its transfer list: ArrayBuffers and MessagePorts move) and puts it on the
 * other port's message queue. A port's queue is disabled until start() is called or
 * onmessage is set; each message is then dispatched as its own task (a zero-delay timer, so
 * microtasks run between messages and messages keep their posting order). Pending deliveries
 * keep the event loop alive; a port that was never started does not.
 */
export const MESSAGE_PORT_SOURCE = String.raw`
import { core, primordials } from "ext:core/mod.js";
import { brandCheck, requireArgs, setToStringTag, toDictionary, toDOMString, toSequence } from "ext:islet_web/00_webidl.js";
import { DOMException } from "ext:islet_web/01_dom_exception.js";
import { defineHandlerAttribute, dispatchInternal, Event, EventTarget, markTrusted } from "ext:islet_web/03_event.js";
import { cloneWithTransfer, registerTransferable } from "ext:islet_web/07_structured_clone.js";
const { ArrayPrototypeIncludes, ArrayPrototypePush, ArrayPrototypeShift, ObjectFreeze, SafeWeakMap, TypeError } = primordials;
const SymbolIterator = primordials.SymbolIterator;

function isObject(v) { return v !== null && (typeof v === "object" || typeof v === "function"); }

// --- MessageEvent -------------------------------------------------------------------------------
const messageEvents = new SafeWeakMap();
const me = brandCheck(messageEvents, "MessageEvent");
class MessageEvent extends Event {
  constructor(type, eventInitDict = undefined) {
    requireArgs(arguments.length, 1, "MessageEvent constructor");
    super(type, eventInitDict);
    const where = "MessageEvent constructor";
    const init = toDictionary(eventInitDict, where, "eventInitDict");
    // MessageEventInit members after EventInit's, in WebIDL order: data, lastEventId, origin, ports, source.
    const data = init.data === undefined ? null : init.data;
    const lastEventId = init.lastEventId === undefined ? "" : toDOMString(init.lastEventId, where);
    const origin = init.origin === undefined ? "" : toDOMString(init.origin, where);
    const portsRaw = init.ports;
    const ports = portsRaw === undefined ? [] : toSequence(portsRaw, where, "eventInitDict.ports", (p) => {
      if (!isMessagePort(p)) throw new TypeError(where + ": every element of eventInitDict.ports must be a MessagePort");
      return p;
    });
    const source = init.source === undefined ? null : init.source;
    if (source !== null && !isMessagePort(source)) throw new TypeError(where + ": eventInitDict.source must be a MessagePort or null");
    messageEvents.set(this, { __proto__: null, data, lastEventId, origin, ports: ObjectFreeze(ports), source });
  }
  get data() { return me(this, "data").data; }
  get origin() { return me(this, "origin").origin; }
  get lastEventId() { return me(this, "lastEventId").lastEventId; }
  get source() { return me(this, "source").source; }
  get ports() { return me(this, "ports").ports; }
}
setToStringTag(MessageEvent, "MessageEvent");

// --- MessagePort ------------------------------------------------------------------------------------
// port: { object, entangled (the other port's record or null), queue: [{ data, ports }],
//         enabled, closed, detached, scheduled (deliveries with a task queued) }
const ports = new SafeWeakMap();
const portOf = brandCheck(ports, "MessagePort");
function isMessagePort(v) { return isObject(v) && ports.has(v); }
let constructingPort = false;
function newPort() {
  constructingPort = true;
  let object;
  try { object = new MessagePort(); } finally { constructingPort = false; }
  const p = { __proto__: null, object, entangled: null, queue: [], enabled: false, closed: false, detached: false, scheduled: 0 };
  ports.set(object, p);
  return p;
}
function entangle(a, b) { a.entangled = b; b.entangled = a; }
function disentangle(p) {
  const other = p.entangled;
  if (other !== null) other.entangled = null;
  p.entangled = null;
}
/** Queues one task per message that can be delivered and has no task yet. */
function scheduleDeliveries(p) {
  if (!p.enabled || p.closed) return;
  while (p.scheduled < p.queue.length) {
    p.scheduled++;
    core.startTimer(() => deliver(p), 0, true);
  }
}
function deliver(p) {
  p.scheduled--;
  if (p.closed || p.detached || p.queue.length === 0) return;
  const message = ArrayPrototypeShift(p.queue);
  // Made without converting an init dictionary (that would iterate the ports array through
  // Array.prototype[@@iterator], which a program may have replaced).
  const event = markTrusted(new MessageEvent("message"));
  const slots = messageEvents.get(event);
  slots.data = message.data;
  slots.ports = ObjectFreeze(message.ports);
  dispatchInternal(p.object, event);
}
function enableQueue(p) {
  if (p.enabled) return;
  p.enabled = true;
  scheduleDeliveries(p);
}

// Transfer steps (HTML §9.4.4 "transfer steps" and "transfer-receiving steps" in one): the copy
// is a new port entangled with the original's partner, holding the messages not yet delivered.
registerTransferable(isMessagePort, (v) => ports.get(v).detached, (v) => {
  const p = ports.get(v);
  const copy = newPort();
  return [copy.object, () => {
    const partner = p.entangled;
    copy.queue = p.queue;
    p.queue = [];
    p.detached = true;
    p.closed = true;
    if (partner !== null) { p.entangled = null; entangle(copy, partner); }
  }];
});

class MessagePort extends EventTarget {
  constructor() {
    if (!constructingPort) throw new TypeError("MessagePort: illegal constructor (use new MessageChannel())");
    super();
  }
  postMessage(message, transferOrOptions = undefined) {
    const p = portOf(this, "postMessage");
    const where = "MessagePort.prototype.postMessage";
    requireArgs(arguments.length, 1, where);
    // Overloads: (message, sequence<object> transfer) or (message, optional StructuredSerializeOptions options).
    let transfer = [];
    if (isObject(transferOrOptions) && transferOrOptions[SymbolIterator] !== undefined) {
      transfer = toSequence(transferOrOptions, where, "transfer", (x) => {
        if (!isObject(x)) throw new TypeError(where + ": every element of transfer must be an object");
        return x;
      });
    } else {
      const raw = toDictionary(transferOrOptions, where).transfer;
      if (raw !== undefined) transfer = toSequence(raw, where, "options.transfer", (x) => {
        if (!isObject(x)) throw new TypeError(where + ": every element of options.transfer must be an object");
        return x;
      });
    }
    if (ArrayPrototypeIncludes(transfer, this)) throw new DOMException(where + ": a port cannot transfer itself", "DataCloneError");
    const target = p.entangled;
    // Posting the target port to itself loses the channel: the message is dropped.
    const doomed = target !== null && ArrayPrototypeIncludes(transfer, target.object);
    const result = cloneWithTransfer(message, transfer, where);
    if (target === null || doomed) return;
    const sent = [];
    for (let i = 0; i < result[1].length; i++) if (isMessagePort(result[1][i])) ArrayPrototypePush(sent, result[1][i]);
    ArrayPrototypePush(target.queue, { __proto__: null, data: result[0], ports: sent });
    scheduleDeliveries(target);
  }
  start() { enableQueue(portOf(this, "start")); }
  close() {
    const p = portOf(this, "close");
    p.closed = true;
    p.queue = [];
    disentangle(p);
  }
}
defineHandlerAttribute(MessagePort.prototype, "onmessage", (target) => enableQueue(ports.get(target)));
defineHandlerAttribute(MessagePort.prototype, "onmessageerror");
setToStringTag(MessagePort, "MessagePort");

// --- MessageChannel ------------------------------------------------------------------------------------
const channels = new SafeWeakMap();
const channelOf = brandCheck(channels, "MessageChannel");
class MessageChannel {
  constructor() {
    const a = newPort();
    const b = newPort();
    entangle(a, b);
    channels.set(this, { __proto__: null, port1: a.object, port2: b.object });
  }
  get port1() { return channelOf(this, "port1").port1; }
  get port2() { return channelOf(this, "port2").port2; }
}
setToStringTag(MessageChannel, "MessageChannel");

export { MessageChannel, MessageEvent, MessagePort };
`;
