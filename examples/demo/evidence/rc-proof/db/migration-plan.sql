-- 0042_payout_settled_at.sql
ALTER TABLE payouts ADD COLUMN settled_at timestamptz;
