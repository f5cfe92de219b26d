-- The last START / 订阅 of each number. Keywords can be applied out of order (a callback spooled on one node while
-- the database was away is replayed after a later one applied on another): an opt-out older than the number's last
-- opt-in changes nothing, and an opt-in removes only opt-outs older than itself.
CREATE TABLE sms_opt_ins (
    phone       VARCHAR(20) NOT NULL PRIMARY KEY,
    opted_in_at DATETIME(3) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
