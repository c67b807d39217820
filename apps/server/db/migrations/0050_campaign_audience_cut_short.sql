-- A campaign whose audience could no longer be worked out while it was written (its saved segment deleted mid-send)
-- keeps the code it met here, apart from its status reason. The reason alone could not hold it: pausing writes
-- paused_by_staff over it (and the engine's quota or token pause its own), and resuming cleared it, so a campaign cut
-- short, paused and resumed ended as a clean send though part of its audience never got it. Null: not cut short.
alter table campaigns add column audience_cut_short text;
