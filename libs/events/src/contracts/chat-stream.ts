/**
 * One chat message as session-service's internal Server-Sent-Events stream
 * (`GET /internal/chat-stream`) carries it to the gateways. Chat text is never stored and never
 * put on Kafka; this stream is its only path.
 */
export interface ChatStreamMessage {
  id: string;
  sessionId: string;
  tenantId: string;
  fromUserId: string;
  text: string;
  sentAt: string;
  /** The two parties of the session: the gateway delivers the message to their subscriptions only. */
  recipientIds: string[];
}
