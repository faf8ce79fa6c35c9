/** The list view's mode, kept across commands: the textbook linked list or Redis's quicklist nodes. */
export const listMode = $state({ quicklist: false });
