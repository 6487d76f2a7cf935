import * as encoding from 'lib0/encoding';

// Yjs updates (v1 encoding) that decode without error but make Y.applyUpdate throw
// half-way, as a bit flip or a hostile client could produce them.

/** Its one item's origin is a later item of the item's own client. */
export function updateReferringToLaterItemOfItsClient(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1); // structs of one client
  encoding.writeVarUint(encoder, 1); // one struct
  encoding.writeVarUint(encoder, 777); // client
  encoding.writeVarUint(encoder, 0); // first clock
  encoding.writeUint8(encoder, 0x80 | 4); // an item with an origin, holding a string
  encoding.writeVarUint(encoder, 777); // the origin: the same client…
  encoding.writeVarUint(encoder, 5); // …at a later clock
  encoding.writeVarString(encoder, 'x');
  encoding.writeVarUint(encoder, 0); // no deletions
  return encoding.toUint8Array(encoder);
}

/** It deletes an empty range. */
export function updateDeletingAnEmptyRange(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0); // no structs
  encoding.writeVarUint(encoder, 1); // deletions of one client
  encoding.writeVarUint(encoder, 777);
  encoding.writeVarUint(encoder, 1); // one range
  encoding.writeVarUint(encoder, 0); // from clock 0
  encoding.writeVarUint(encoder, 0); // of length 0
  return encoding.toUint8Array(encoder);
}

/** Its one item is empty (deleted content of length 0). */
export function updateWithAnEmptyItem(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1); // structs of one client
  encoding.writeVarUint(encoder, 2); // two structs
  encoding.writeVarUint(encoder, 777); // client
  encoding.writeVarUint(encoder, 0); // first clock
  encoding.writeUint8(encoder, 1); // an item in a root type, holding deleted content…
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarString(encoder, 't');
  encoding.writeVarUint(encoder, 0); // …of length 0
  encoding.writeUint8(encoder, 0x80 | 4); // then a string after it, at the same clock
  encoding.writeVarUint(encoder, 777);
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarString(encoder, 'x');
  encoding.writeVarUint(encoder, 0); // no deletions
  return encoding.toUint8Array(encoder);
}
