export interface Config {
  kratix?: {
    /** The condition history behind each Resource's timeline. */
    history?: {
      /** Days a recorded transition is kept. Default 90. */
      retentionDays?: number;
    };
  };
}
