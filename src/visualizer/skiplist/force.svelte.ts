/** The "Force next level" choice the student made (null: random), shared by the skiplist views. */
export const forceLevel = $state<{ level: number | null }>({ level: null });
