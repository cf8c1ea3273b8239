/** Wire protocol opcodes this server understands (and OP_COMPRESSED, which it refuses). */
export const OpCode = {
  OP_REPLY: 1,
  OP_QUERY: 2004,
  OP_COMPRESSED: 2012,
  OP_MSG: 2013,
} as const;

/** OP_MSG flag bits. */
export const MsgFlag = {
  checksumPresent: 1 << 0,
  moreToCome: 1 << 1,
  exhaustAllowed: 1 << 16,
} as const;

/** Size of the standard message header (length, requestID, responseTo, opCode). */
export const HEADER_SIZE = 16;
