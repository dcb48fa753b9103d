/** Imports each module's demo step so that it registers itself (order matters: later steps use earlier data). */
export {};
