// A feed is a frame around its items: the head (channel or feed metadata), the
// items with separators, and the tail. Serializers describe the frame; the build
// writes the parts as they are (a cached, already-encoded item is never copied
// into a feed-sized string), and anything else can join them into one string.

export interface FeedFrame {
  head: string;
  /** Before the first item, between items, after the last one (only when there are items). */
  first: string;
  between: string;
  last: string;
  tail: string;
}

export function assembleFeed(frame: FeedFrame, items: readonly string[]): string {
  return frame.head + (items.length ? frame.first + items.join(frame.between) + frame.last : '') + frame.tail;
}
